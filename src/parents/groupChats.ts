import type { EntityManager } from "typeorm";
import type { WeComClient } from "../wecom";

/**
 * Names of customer group chats, read from groupchat/get (the list gives ids
 * only) and remembered, so a person reads the group's name. An unnamed group
 * is named by WeCom after its members; we show "未命名群聊".
 * https://developer.work.weixin.qq.com/document/path/92122 (获取客户群详情: group_chat.name, owner; need_name only
 * concerns member names, so 0).
 */
export async function rememberGroupChatNames(manager: EntityManager, client: WeComClient, chatIds: string[], now: Date): Promise<void> {
  for (const chatId of chatIds) {
    // A name is for reading only: a group WeCom will not describe (dismissed, not a customer group) keeps no name
    // and never holds up a handover.
    const chat = await client.groupChat.get(chatId, false).catch(() => undefined);
    if (!chat) continue;
    await manager.query(
      `INSERT INTO group_chat (chat_id, name, owner_userid, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (chat_id) DO UPDATE SET name = excluded.name, owner_userid = excluded.owner_userid, updated_at = excluded.updated_at`,
      [chatId, chat.name?.trim() || "未命名群聊", chat.owner, now],
    );
  }
}

/** Group names by chat id; a group never described keeps no entry. */
export async function groupChatNames(manager: EntityManager, chatIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(chatIds)];
  if (ids.length === 0) return new Map();
  const rows: { chat_id: string; name: string }[] = await manager.query(`SELECT chat_id, name FROM group_chat WHERE chat_id = ANY($1)`, [ids]);
  return new Map(rows.map((r) => [r.chat_id, r.name]));
}
