import { CAST, CORP_SEED, LEAVER_GROUPS, LEAVER_PARENTS, RISK_SETTINGS, ROLES, ROSTER } from "../cast";
import type { StoryContext } from "../storyContext";

/** Accounts IT must close when someone leaves: they appear on every leaver's handover checklist. */
const ACCOUNTS_TO_CLOSE = { accounts: [{ key: "wecom", label: "企业微信账号" }, { key: "edu", label: "教务系统账号" }] };

/**
 * Step 1. The chain exists in WeCom (the sandbox); the service learns it the
 * way it would in production: the directory sync and the parents resync jobs,
 * the roster import, role grants and risk rules through the admin APIs.
 */
export async function setUpChain(s: StoryContext): Promise<void> {
  const { env, t } = s;
  t.step(1, "建立连锁机构并同步通讯录", "set up the chain and sync the directory");
  env.sandbox.state.seed(CORP_SEED);
  t.note(`企业微信：${CORP_SEED.departments!.length} 个部门，${CORP_SEED.users!.length} 名员工，${CORP_SEED.externalContacts!.length} 位家长，${CORP_SEED.groupChats!.length} 个家长群`);

  const job = (name: string) => {
    const found = env.service.capabilities.jobs.find((j) => j.name === name);
    if (!found) throw new Error(`story: no job named ${name}`);
    return found.run();
  };
  await job("directory-sync");
  const staff = await s.count(`SELECT count(*) AS n FROM staff WHERE status = 1`);
  t.check("通讯录同步 · directory synced", staff === CORP_SEED.users!.length, `${staff} staff, ${await s.count(`SELECT count(*) AS n FROM department`)} departments`);
  const [dept] = await s.db.query(`SELECT leader_userids FROM department WHERE id = $1`, [CAST.campus]);
  t.check("校区负责人已知 · campus head mirrored", (dept?.leader_userids ?? []).includes(CAST.departmentHead));

  await job("parents-resync");
  const follows = await s.count(`SELECT count(*) AS n FROM follow_relation WHERE staff_userid = $1 AND status = 'active'`, [CAST.leaver]);
  t.check("家长关系同步 · parents resynced", follows === LEAVER_PARENTS.length, `李老师 follows ${follows} parents`);

  const roster = await s.http("POST", "/api/admin/classes/import", env.opsToken, { rows: ROSTER });
  t.check("班级花名册导入 · class roster imported", roster.status === 200 && roster.body.data.classes === 2, roster.status === 200 ? `${roster.body.data.classes} 个班级、${roster.body.data.teachers} 位老师、${roster.body.data.students} 名学生、${roster.body.data.parents} 位家长` : `HTTP ${roster.status}`);

  let granted = 0;
  for (const role of ROLES) if ((await s.http("POST", "/api/admin/roles", env.opsToken, role)).status === 201) granted++;
  t.check("人事与IT角色授权 · HR and IT roles granted", granted === ROLES.length, `${granted}/${ROLES.length}`);

  const risk = await s.http("PUT", `/api/hr/alert-settings/${CAST.campus}`, env.opsToken, RISK_SETTINGS);
  t.check("风险规则配置 · risk rules saved", risk.status === 200, `version ${risk.body?.version}`);

  // WeCom carries no hire dates: HR imports them from the payroll system (the certificate needs them).
  const staffIds: string[] = (await s.db.query(`SELECT userid FROM staff ORDER BY userid`)).map((r: { userid: string }) => r.userid);
  const csv = ["userid,hire_date,contract_start", ...staffIds.map((u) => `${u},${u === CAST.leaver ? "2021-09-01" : "2020-03-01"},${u === CAST.leaver ? "2024-09-01" : ""}`)].join("\n");
  const terms = await s.http("POST", "/api/admin/staff/terms/import", env.opsToken, csv, "text/csv");
  t.check("入职日期导入 · hire dates imported", terms.status === 200 && terms.body.data.updated === staffIds.length, `${terms.body?.data?.updated ?? terms.status} staff`);
  // No admin API for checklist items yet: the setting is written as an HQ admin would store it.
  await s.db.query(
    `INSERT INTO app_setting (key, scope, value, updated_by) VALUES ('resignation.checklist_items', 'global', $1, 'story')
     ON CONFLICT (key, scope) DO UPDATE SET value = excluded.value`,
    [JSON.stringify(ACCOUNTS_TO_CLOSE)],
  );
  const groups = LEAVER_GROUPS.filter((id) => env.sandbox.state.groupChats.get(id)?.owner === CAST.leaver).length;
  t.check("家长群就绪 · parent group chats exist", groups === LEAVER_GROUPS.length, `${groups} groups owned by 李老师`);
}
