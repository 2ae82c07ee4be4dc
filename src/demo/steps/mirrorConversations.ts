import { CAST, LEAVER_PARENTS, MASS_PARENTS } from "../cast";
import type { StoryContext } from "../storyContext";
import { readArchivedMessages } from "../../conversations";

const EXCHANGE = [
  ["parent", "李老师您好，孩子这周的英语作业是什么？"],
  ["teacher", "您好！这周背第三单元的单词，周五听写。"],
  ["parent", "好的，谢谢李老师！"],
] as const;

/**
 * Step 2. Parents agree to the chat archive; 李老师 chats with them; WeCom
 * announces new archive data (msgaudit_notify) and the service mirrors it,
 * sealed with the data key: the plaintext is nowhere in the table.
 */
export async function mirrorConversations(s: StoryContext): Promise<void> {
  const { env, t } = s;
  t.step(2, "李老师与家长沟通，会话存档加密镜像", "李老师 chats with parents; conversations mirrored, encrypted at rest");
  const pairs = [...LEAVER_PARENTS.map((p) => [CAST.leaver, p] as const), ...MASS_PARENTS.map((p) => [CAST.massMessager, p] as const)];
  for (const [staff, parent] of pairs) await env.sandbox.actors.parentConsentsToArchive(parent, staff);
  const consents = await s.waitFor(async () => {
    const n = await s.count(`SELECT count(*) AS n FROM archive_consent WHERE status = 'agree'`);
    return n === pairs.length ? n : undefined;
  });
  t.check("家长同意会话存档 · parents consented to archiving", consents === pairs.length, `${consents ?? 0}/${pairs.length}`);

  const sent: string[] = [];
  for (const parent of LEAVER_PARENTS) {
    for (const [who, content] of EXCHANGE) {
      env.clock.advance(30_000);
      env.sandbox.actors.chat(who === "parent" ? { from: parent, to: CAST.leaver, content } : { from: CAST.leaver, to: parent, content });
      sent.push(content);
    }
  }
  await env.sandbox.actors.archiveNotify();
  const mirrored = await s.waitFor(async () => {
    const n = await s.count(`SELECT count(*) AS n FROM archive_message WHERE staff_userid = $1`, [CAST.leaver]);
    return n === sent.length ? n : undefined;
  });
  t.check("会话已镜像 · conversations mirrored", mirrored === sent.length, `${mirrored ?? 0}/${sent.length} messages after msgaudit_notify`);

  const rows: { body_ciphertext: Buffer }[] = await s.db.query(`SELECT body_ciphertext FROM archive_message WHERE staff_userid = $1`, [CAST.leaver]);
  const leaks = rows.filter((r) => EXCHANGE.some(([, text]) => r.body_ciphertext.includes(Buffer.from(text, "utf8")))).length;
  t.check("静态加密 · encrypted at rest", rows.length > 0 && leaks === 0, `${rows.length} rows, ${leaks} with readable text`);

  const archive = env.service.capabilities.conversations.archive!;
  const thread = await readArchivedMessages(s.db, archive.keyRing, {
    staffUserid: CAST.leaver,
    externalUserid: LEAVER_PARENTS[0],
    from: new Date(env.clock.now().getTime() - 86_400_000),
    to: new Date(env.clock.now().getTime() + 1),
  });
  const texts = thread.map((m) => (m.message.content.msgtype === "text" ? m.message.content.content : m.message.content.msgtype));
  t.check("授权解密可读 · readable through the key ring", JSON.stringify(texts) === JSON.stringify(EXCHANGE.map(([, c]) => c)), `与张妈妈的 ${thread.length} 条消息 · ${thread.length} messages with 张妈妈`);
}
