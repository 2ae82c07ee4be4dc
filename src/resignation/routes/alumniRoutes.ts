import Router from "@koa/router";
import type { DataSource, EntityManager } from "typeorm";
import { z } from "zod";
import { authorize, can, displayNames, scope, scopeSql, type Actor } from "../../org";
import { returnedRows } from "../../platform/db/returnedRows";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Guard } from "../../platform/http/guard";
import { routeChain } from "../../platform/http/route";
import { formatChinaTime } from "../../calendar";
import { enqueueWeComMessage } from "../../wecom";
import { ALUMNI_OUTREACH_KIND, sameWordsSentTo } from "../store/alumniOutreachStore";
import { RESIGNATION_TOPIC } from "../outbox/outbox";
import type { ResignationDeps } from "../deps";
import { alumniMatches, alumniTags } from "../rules/alumniTags";

const TOPICS = { festival: "节日问候", jobs: "招聘信息" } as const;
type Topic = keyof typeof TOPICS;

const listQuery = z.object({ q: z.string().trim().max(50).optional(), tag: z.string().trim().max(40).optional() });
const alumParams = z.object({ userid: z.string().min(1).max(64) });
const tagParams = z.object({ userid: z.string().min(1).max(64), tag: z.string().trim().min(1).max(30) });
/** HR's own tag: the derived ones (离职原因:…, 岗位:…, 绩效:…, 返聘) come from the case and are not typed. */
const tagBody = z.object({
  tag: z
    .string()
    .trim()
    .min(1, "请填写标签")
    .max(30, "标签不超过 30 个字")
    .refine((t) => !/^(离职原因|岗位|绩效)[:：]/.test(t) && !["可返聘", "不建议返聘", "返聘待评估"].includes(t), "这是系统根据离职原因、岗位、绩效和返聘意见生成的标签，请在离职案件中修改"),
});
const MAX_HR_TAGS = 20;
const optinBody = z
  .object({
    externalUserid: z.string().min(1, "请选择校友是您的哪位企业微信客户").max(64),
    festival: z.boolean(),
    jobs: z.boolean(),
    evidence: z.string().trim().min(1, "请记录校友同意的方式和原话（如：企业微信回复“愿意接收”）").max(500),
  })
  .refine((b) => b.festival || b.jobs, { message: "请至少选择一类：节日问候或招聘信息", path: ["festival"] });
const sendBody = z.object({
  topic: z.enum(["festival", "jobs"]),
  content: z.string().trim().min(1, "请填写群发内容").max(1000, "群发内容不超过1000字"),
  userids: z.array(z.string().min(1).max(64)).min(1, "请选择至少一位校友").max(500),
});

interface AlumRow {
  userid: string;
  name: string;
  position: string | null;
  reason_category: string | null;
  left_on: string;
  rehire_eligible: boolean | null;
  performance_grade: string | null;
  tags: string[];
  department_id: number | null;
  department_path: number[] | null;
  exit_reasons: string[] | null;
  contact_userid: string | null;
  external_userid: string | null;
  festival: boolean | null;
  jobs: boolean | null;
  optin_at: Date | null;
  withdrawn_at: Date | null;
  still_contact: boolean;
}

const ALUM_SELECT = `
  SELECT a.userid, a.name, a.position, a.reason_category, to_char(a.left_on, 'YYYY-MM-DD') AS left_on, a.rehire_eligible, a.performance_grade, a.tags,
         a.department_id, d.path AS department_path, e.reasons AS exit_reasons,
         o.contact_userid, o.external_userid, o.festival, o.jobs, o.recorded_at AS optin_at, o.withdrawn_at,
         EXISTS (SELECT 1 FROM follow_relation f WHERE f.staff_userid = o.contact_userid AND f.external_userid = o.external_userid AND f.status = 'active') AS still_contact
    FROM alumni a
    LEFT JOIN department d ON d.id = a.department_id
    LEFT JOIN exit_interview e ON e.case_id = a.case_id
    LEFT JOIN alumni_outreach_optin o ON o.userid = a.userid`;

const alumResource = (r: AlumRow) => ({ kind: "alumni" as const, userid: r.userid, departmentPaths: r.department_path ? [r.department_path] : [] });

/** Why an alum does not get this topic, or null when they do (opted in, not withdrawn, still HR's customer). */
function notReachable(r: AlumRow, topic: Topic, contactName: string): string | null {
  if (!r.optin_at || r.withdrawn_at) return "未同意接收校友消息";
  if (!r[topic]) return `未同意接收${TOPICS[topic]}`;
  if (!r.still_contact) return `已不是${contactName}的企业微信客户`;
  return null;
}

/**
 * The alumni pool (seed 004): the list with tags from reason, role,
 * performance band and rehire flag, searchable; HR records a leaver's opt-in
 * to outreach (they remain the HR member's WeCom customer and agreed, in their
 * words); HR sends festival greetings or job openings to those who opted in,
 * each send recorded with WeCom's answer.
 */
export function alumniRoutes(deps: ResignationDeps & { dataSource: DataSource; auth: Guard<Actor> }): Router {
  const router = new Router({ prefix: "/api/hr" });
  const route = routeChain(router, { dataSource: deps.dataSource });

  const loadAlum = (action: "read" | "update") => async ({ manager, actor, params }: { manager: EntityManager; actor: Actor; params: { userid: string } }) => {
    const [row]: AlumRow[] = await manager.query(`${ALUM_SELECT} WHERE a.userid = $1`, [params.userid]);
    if (!row) throw new NotFoundError("离职人员库中没有这位员工");
    authorize(actor, action, alumResource(row));
    return row;
  };

  route.get("/alumni", {
    auth: deps.auth,
    list: "alumni",
    query: listQuery,
    handle: async ({ actor, manager, query }) => {
      const visible = scopeSql(scope(actor, "read", "alumni"), 1);
      // Performance grades are for those who rate leavers (HR), not for everyone who may see the list.
      const rates = scopeSql(scope(actor, "update", "alumni"), 1 + visible.params.length);
      const rows: (AlumRow & { may_rate: boolean })[] = await manager.query(
        `SELECT x.*, ${rates.department("x.department_id")} AS may_rate FROM (${ALUM_SELECT} WHERE ${visible.department("a.department_id")}) x
          ORDER BY x.left_on DESC LIMIT 500`,
        [...visible.params, ...rates.params],
      );
      const contacts = await displayNames(manager, rows.flatMap((r) => (r.contact_userid ? [r.contact_userid] : [])));
      const alumni = rows
        .map((r) => {
          const grade = r.may_rate ? r.performance_grade : null;
          const labels = alumniTags({ reasonCategory: r.reason_category, exitReasons: r.exit_reasons ?? [], position: r.position, performanceGrade: grade, rehireEligible: r.rehire_eligible, hrTags: r.tags });
          const contactName = r.contact_userid ? (contacts.get(r.contact_userid) ?? "人事") : "人事";
          return {
            userid: r.userid,
            name: r.name,
            position: r.position,
            reason_category: r.reason_category,
            left_on: r.left_on,
            rehire_eligible: r.rehire_eligible,
            performance_grade: grade,
            tags: r.tags,
            labels,
            outreach: {
              optedIn: r.optin_at !== null && r.withdrawn_at === null,
              // Whether the reader may record opt-ins and send to this alum (HR of their branch), so pages offer only that.
              mayContact: r.may_rate,
              contactName: r.contact_userid ? contactName : null,
              topics: (Object.keys(TOPICS) as Topic[]).filter((t) => r.optin_at && !r.withdrawn_at && r[t]).map((t) => TOPICS[t]),
              stillContact: r.still_contact,
              status: notReachable({ ...r, festival: true, jobs: true }, "festival", contactName) ?? `已同意接收：${(Object.keys(TOPICS) as Topic[]).filter((t) => r[t]).map((t) => TOPICS[t]).join("、")}（通过${contactName}的企业微信）`,
            },
          };
        })
        .filter((a) => alumniMatches({ name: a.name, tags: a.labels }, query.q, query.tag));
      return { alumni };
    },
  });

  /**
   * One alum for HR's form: the tags (derived and HR's own), the opt-in as recorded (the alum's words, when,
   * by whom), and — for HR who may record it — their own active WeCom customers by name, to say which one
   * is the alum.
   */
  route.get("/alumni/:userid", {
    auth: deps.auth,
    params: alumParams,
    load: loadAlum("read"),
    handle: async ({ manager, actor, resource: r }) => {
      const mayContact = can(actor, "update", alumResource(r));
      const [optin]: { evidence: string; recorded_by: string }[] = await manager.query(`SELECT evidence, recorded_by FROM alumni_outreach_optin WHERE userid = $1`, [r.userid]);
      const contacts: { external_userid: string; name: string | null }[] = mayContact
        ? await manager.query(
            `SELECT f.external_userid, c.name FROM follow_relation f LEFT JOIN external_contact c ON c.external_userid = f.external_userid
              WHERE f.staff_userid = $1 AND f.status = 'active' ORDER BY c.name NULLS LAST, f.external_userid LIMIT 2000`,
            [actor.userid],
          )
        : [];
      const names = await displayNames(manager, [...(r.contact_userid ? [r.contact_userid] : []), ...(optin ? [optin.recorded_by] : [])]);
      const grade = mayContact ? r.performance_grade : null;
      return {
        alum: {
          userid: r.userid,
          name: r.name,
          leftOn: r.left_on,
          labels: alumniTags({ reasonCategory: r.reason_category, exitReasons: r.exit_reasons ?? [], position: r.position, performanceGrade: grade, rehireEligible: r.rehire_eligible, hrTags: r.tags }),
          hrTags: r.tags,
          mayContact,
          optin:
            r.optin_at && optin
              ? {
                  active: r.withdrawn_at === null,
                  topics: (Object.keys(TOPICS) as Topic[]).filter((t) => r[t]).map((t) => TOPICS[t]),
                  evidence: optin.evidence,
                  recordedAt: r.optin_at.toISOString(),
                  recordedByName: names.get(optin.recorded_by) ?? "人事",
                  contactName: r.contact_userid ? (names.get(r.contact_userid) ?? "人事") : "人事",
                  withdrawnAt: r.withdrawn_at ? r.withdrawn_at.toISOString() : null,
                  stillContact: r.still_contact,
                  externalUserid: r.external_userid,
                }
              : null,
          // Whom HR may name as the alum: their own active customers (a customer without a synced name says so).
          contacts: contacts.map((c) => ({ externalUserid: c.external_userid, name: c.name ?? "未同步姓名的客户" })),
        },
      };
    },
  });

  /** HR adds one of their own tags to an alum (searchable like the derived ones). A tag already there changes nothing. */
  route.post("/alumni/:userid/tags", {
    auth: deps.auth,
    params: alumParams,
    body: tagBody,
    transaction: true,
    load: loadAlum("update"),
    handle: async ({ manager, resource: alum, body }) => {
      if (alum.tags.includes(body.tag)) return { message: `${alum.name}已有标签「${body.tag}」，没有变化。`, tags: alum.tags };
      if (alum.tags.length >= MAX_HR_TAGS) throw new ValidationError(`每位校友最多 ${MAX_HR_TAGS} 个自定义标签，请先删除不用的标签`, [{ path: "tag", message: "too many tags" }]);
      const [rows] = await manager.query(`UPDATE alumni SET tags = array_append(tags, $2) WHERE userid = $1 AND NOT ($2 = ANY(tags)) RETURNING tags`, [alum.userid, body.tag]);
      return { message: `已为${alum.name}添加标签「${body.tag}」。`, tags: rows[0]?.tags ?? [...alum.tags, body.tag] };
    },
  });

  /** HR removes one of their own tags (the derived ones are not HR's to remove here). */
  route.delete("/alumni/:userid/tags/:tag", {
    auth: deps.auth,
    params: tagParams,
    transaction: true,
    load: loadAlum("update"),
    handle: async ({ manager, resource: alum, params }) => {
      if (!alum.tags.includes(params.tag)) throw new NotFoundError(`${alum.name}没有自定义标签「${params.tag}」（可能已被删除）`);
      const [rows] = await manager.query(`UPDATE alumni SET tags = array_remove(tags, $2) WHERE userid = $1 RETURNING tags`, [alum.userid, params.tag]);
      return { message: `已删除${alum.name}的标签「${params.tag}」。`, tags: rows[0]?.tags ?? [] };
    },
  });

  /** HR records that the alum agreed to hear from the school through HR's own WeCom (the alum is HR's customer). */
  route.put("/alumni/:userid/outreach", {
    auth: deps.auth,
    params: alumParams,
    body: optinBody,
    transaction: true,
    load: loadAlum("update"),
    handle: async ({ manager, actor, resource: alum, body }) => {
      const [contact] = await manager.query(
        `SELECT 1 FROM follow_relation WHERE staff_userid = $1 AND external_userid = $2 AND status = 'active'`,
        [actor.userid, body.externalUserid],
      );
      if (!contact) throw new ConflictError("该客户不在您的企业微信客户列表中，请先让校友添加您的企业微信，再登记同意");
      const now = deps.clock.now();
      await manager.query(
        `INSERT INTO alumni_outreach_optin (userid, contact_userid, external_userid, festival, jobs, evidence, recorded_by, recorded_at, withdrawn_at)
         VALUES ($1, $2, $3, $4, $5, $6, $2, $7, NULL)
         ON CONFLICT (userid) DO UPDATE SET contact_userid = EXCLUDED.contact_userid, external_userid = EXCLUDED.external_userid, festival = EXCLUDED.festival,
           jobs = EXCLUDED.jobs, evidence = EXCLUDED.evidence, recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at, withdrawn_at = NULL`,
        [alum.userid, actor.userid, body.externalUserid, body.festival, body.jobs, body.evidence, now],
      );
      const topics = (Object.keys(TOPICS) as Topic[]).filter((t) => body[t]).map((t) => TOPICS[t]);
      return { message: `已登记：${alum.name}同意通过您的企业微信接收${topics.join("和")}，可随时撤回。` };
    },
  });

  route.delete("/alumni/:userid/outreach", {
    auth: deps.auth,
    params: alumParams,
    transaction: true,
    load: loadAlum("update"),
    handle: async ({ manager, resource: alum }) => {
      const rows = returnedRows(await manager.query(`UPDATE alumni_outreach_optin SET withdrawn_at = $2 WHERE userid = $1 AND withdrawn_at IS NULL RETURNING 1`, [alum.userid, deps.clock.now()]));
      if (rows.length === 0) throw new NotFoundError(`${alum.name}没有登记接收校友消息`);
      return { message: `已撤回：今后不再向${alum.name}发送节日问候和招聘信息。` };
    },
  });

  /**
   * 群发 to the alumni who agreed, from the WeCom account of the HR member
   * whose customers they are: externalcontact/add_msg_template with
   * chat_type "single", sender and external_userid (up to 10,000), text ≤ 4,000
   * bytes (developer.work.weixin.qq.com/document/path/92135 创建企业群发;
   * openscrm/api-server pkg/easywework/mass_msg.go; silenceper/wechat
   * work/externalcontact). WeCom creates a task the sender confirms in the
   * client; a customer receives at most 4 company 群发 a month, so WeCom may
   * drop some — its fail_list is recorded.
   *
   * Each sender's task is queued in the one WeCom outbox in this transaction
   * (it exists only if the send is recorded). add_msg_template has no duplicate
   * check, so when its answer is lost the outbox looks the task up in WeCom's
   * group-send records (get_groupmsg_list_v2 + get_groupmsg_task, path/93338)
   * before any second call: a lost answer never becomes a second 群发. And HR
   * sending the same words again to someone whose 群发 is queued, created or of
   * unknown outcome (last 31 days, the records' window) leaves that person out.
   */
  route.post("/alumni/outreach", {
    auth: deps.auth,
    body: sendBody,
    transaction: true,
    load: async ({ manager, actor, body }) => {
      // Locked: two clicks at once queue one 群发, the second sees the first's record.
      const rows: AlumRow[] = await manager.query(`${ALUM_SELECT} WHERE a.userid = ANY($1) ORDER BY a.userid FOR UPDATE OF a`, [body.userids]);
      if (rows.length !== new Set(body.userids).size) throw new ValidationError("部分校友不在离职人员库中", [{ path: "userids", message: "unknown alumni" }]);
      for (const r of rows) authorize(actor, "update", alumResource(r));
      return rows;
    },
    handle: async ({ manager, actor, body, resource: rows }) => {
      const now = deps.clock.now();
      const topic = body.topic as Topic;
      const contacts = await displayNames(manager, rows.flatMap((r) => (r.contact_userid ? [r.contact_userid] : [])));
      const contactName = (r: AlumRow) => (r.contact_userid ? (contacts.get(r.contact_userid) ?? "人事") : "人事");
      const earlier = await sameWordsSentTo(manager, topic, body.content, rows.map((r) => r.userid), now);
      const excluded: { name: string; reason: string }[] = [];
      const bySender = new Map<string, AlumRow[]>();
      for (const r of rows) {
        const at = earlier.get(r.userid);
        const why = notReachable(r, topic, contactName(r)) ?? (at ? `已于${formatChinaTime(at).slice(0, 16)}发送过相同内容，不重复群发` : null);
        if (why) excluded.push({ name: r.name, reason: why });
        else bySender.set(r.contact_userid!, [...(bySender.get(r.contact_userid!) ?? []), r]);
      }
      const sends: { sender: string; recipients: number; outcome: string }[] = [];
      for (const [sender, group] of bySender) {
        const [{ id }] = await manager.query(
          `INSERT INTO alumni_outreach_send (topic, content, sender, recipients, outcome, created_by, created_at) VALUES ($1, $2, $3, $4, 'queued', $5, $6) RETURNING id`,
          [topic, body.content, sender, group.map((r) => r.userid), actor.userid, now],
        );
        await enqueueWeComMessage(
          manager,
          {
            topic: RESIGNATION_TOPIC,
            ref: { caseId: null, kind: ALUMNI_OUTREACH_KIND, sendId: String(id) },
            message: { type: "msg_template", sender, externalUserids: group.map((r) => r.external_userid!), text: body.content },
            duplicateCheck: false,
            giveUpAfter: 10,
          },
          now,
        );
        const who = contacts.get(sender) ?? "人事";
        sends.push({ sender: who, recipients: group.length, outcome: `已提交企业微信，创建群发任务后请${who}在企业微信中确认发送` });
      }
      const queued = sends.reduce((n, x) => n + x.recipients, 0);
      const message =
        `${TOPICS[topic]}：已向 ${queued} 位校友发起群发` +
        (sends.length > 0 ? `，需${sends.map((x) => x.sender).join("、")}在企业微信中确认后发出` : "") +
        (excluded.length > 0 ? `；未发送 ${excluded.length} 位（${excluded.map((e) => `${e.name}：${e.reason}`).join("；")}）` : "") +
        "。";
      return { message, sends, excluded };
    },
  });
  return router;
}
