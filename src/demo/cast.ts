import type { ClassRow } from "../parents";
import type { SeedInput } from "../sandbox";

/**
 * The people of the story: 启明教育 (HQ) with two campuses. 李老师 (李静)
 * teaches English in two classes and leaves; 王老师 (王芳) and 周老师 (周洋)
 * are the head teachers who inherit her parents; 马老师 (马强) is the
 * colleague who mass-messages parents.
 */
export const CAST = {
  leaver: "li_laoshi",
  leaverName: "李静",
  successors: ["wang_laoshi", "zhou_laoshi"],
  massMessager: "ma_laoshi",
  departmentHead: "zhao_xiaozhang",
  it: "it_zhang",
  hr: "hr_liu",
  campus: 2,
  robotKey: "hr-group-robot",
  /** The parent who declines the transfer to the new teacher. */
  refusingParent: "wm_parent_04",
} as const;

export const LEAVER_PARENTS = ["wm_parent_01", "wm_parent_02", "wm_parent_03", "wm_parent_04", "wm_parent_05", "wm_parent_06"];
export const MASS_PARENTS = Array.from({ length: 12 }, (_, i) => `wm_parent_${String(i + 11).padStart(2, "0")}`);
export const LEAVER_GROUPS = ["wr_class_c1_parents", "wr_class_c2_parents"];

const PARENT_NAMES = ["张妈妈", "陈爸爸", "林妈妈", "黄爸爸", "吴妈妈", "郑爸爸"];

export const CORP_SEED: SeedInput = {
  departments: [
    { id: 1, name: "启明教育集团", parentId: 0 },
    { id: 2, name: "朝阳校区", parentId: 1, leaders: [CAST.departmentHead] },
    { id: 3, name: "海淀校区", parentId: 1, leaders: ["sun_xiaozhang"] },
  ],
  users: [
    { userid: CAST.leaver, name: CAST.leaverName, departments: [2], position: "英语老师" },
    { userid: "wang_laoshi", name: "王芳", departments: [2], position: "语文老师" },
    { userid: "zhou_laoshi", name: "周洋", departments: [2], position: "数学老师" },
    { userid: CAST.massMessager, name: "马强", departments: [2], position: "课程顾问" },
    { userid: CAST.departmentHead, name: "赵明", departments: [2], position: "校长" },
    { userid: "sun_xiaozhang", name: "孙丽", departments: [3], position: "校长" },
    { userid: "he_laoshi", name: "何军", departments: [3], position: "英语老师" },
    { userid: CAST.hr, name: "刘敏", departments: [2], position: "人事专员" },
    { userid: "hr_wu", name: "吴娟", departments: [3], position: "人事专员" },
    { userid: CAST.it, name: "张伟", departments: [1], position: "IT管理员" },
  ],
  externalContacts: [
    ...LEAVER_PARENTS.map((externalUserId, i) => ({ externalUserId, name: PARENT_NAMES[i]! })),
    ...MASS_PARENTS.map((externalUserId, i) => ({ externalUserId, name: `家长${i + 11}` })),
  ],
  follows: [
    ...LEAVER_PARENTS.map((externalUserId) => ({ userid: CAST.leaver, externalUserId })),
    ...MASS_PARENTS.map((externalUserId) => ({ userid: CAST.massMessager, externalUserId })),
  ],
  groupChats: [
    { chatId: LEAVER_GROUPS[0]!, name: "三年级一班家长群", owner: CAST.leaver, members: [{ userid: CAST.leaver }, ...LEAVER_PARENTS.slice(0, 3).map((userid) => ({ userid }))] },
    { chatId: LEAVER_GROUPS[1]!, name: "三年级二班家长群", owner: CAST.leaver, members: [{ userid: CAST.leaver }, ...LEAVER_PARENTS.slice(3).map((userid) => ({ userid }))] },
  ],
  robots: { [CAST.robotKey]: "朝阳校区人事群机器人" },
  archivePermitUsers: [CAST.leaver, CAST.massMessager, "wang_laoshi", "zhou_laoshi"],
};

/** The roster HQ imports: C1 (head 王老师) and C2 (head 周老师), 李老师 teaching English in both. */
export const ROSTER: ClassRow[] = [
  ...(
    [
      ["C1", "三年级一班", "wang_laoshi", LEAVER_PARENTS.slice(0, 3)],
      ["C2", "三年级二班", "zhou_laoshi", LEAVER_PARENTS.slice(3)],
    ] as const
  ).flatMap(([code, name, head, parents]) => [
    { class_code: code, class_name: name, campus_department_id: 2, teacher_userid: head, teacher_role: "head_teacher" as const },
    { class_code: code, class_name: name, teacher_userid: CAST.leaver, teacher_role: "subject_teacher" as const, teacher_subject: "英语" },
    ...parents.map((parent) => ({ class_code: code, class_name: name, student_code: `s_${parent}`, student_name: `学生${parent.slice(-2)}`, parent_external_userid: parent, relation: "家长" })),
  ]),
];

export const ROLES = [
  { userid: CAST.hr, role: "hr", departmentId: 2 },
  { userid: "hr_wu", role: "hr", departmentId: 3 },
  { userid: CAST.it, role: "it", departmentId: null },
];

/** Branch risk rules: a dozen near-identical messages to different parents within 10 minutes is mass messaging. */
export const RISK_SETTINGS = {
  rules: {
    massMessaging: { ruleId: "mass", auditorUserId: CAST.hr, severity: "critical", windowMinutes: 10, distinctParents: 20, duplicateParents: 10 },
    massDeletion: { ruleId: "del", auditorUserId: CAST.hr },
    parentLeft: { ruleId: "left", auditorUserId: CAST.hr },
    afterLastDay: { ruleId: "after", auditorUserId: CAST.hr },
  },
  notifier: { webhookKey: CAST.robotKey },
};
