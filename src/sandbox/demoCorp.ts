import type { SeedInput } from "./state/seed";

/** A small education chain for `npm run sandbox` and the demo: two campuses, teachers, parents, groups. */
export const DEMO_CORP: SeedInput = {
  departments: [
    { id: 1, name: "启航教育", parentId: 0 },
    { id: 2, name: "朝阳校区", parentId: 1 },
    { id: 3, name: "海淀校区", parentId: 1 },
    { id: 4, name: "人事部", parentId: 1 },
  ],
  users: [
    { userid: "zhangli", name: "张丽", departments: [2], position: "英语老师" },
    { userid: "wangfang", name: "王芳", departments: [2], position: "数学老师" },
    { userid: "liuyang", name: "刘洋", departments: [3], position: "语文老师" },
    { userid: "chenjing", name: "陈静", departments: [3], position: "校区主管" },
    { userid: "hr_sun", name: "孙敏", departments: [4], position: "人事专员" },
  ],
  externalContacts: [
    { externalUserId: "wmParentLi0001", name: "李妈妈" },
    { externalUserId: "wmParentZhao002", name: "赵爸爸" },
    { externalUserId: "wmParentQian003", name: "钱妈妈" },
    { externalUserId: "wmParentZhou004", name: "周爸爸" },
  ],
  follows: [
    { userid: "zhangli", externalUserId: "wmParentLi0001", remark: "李同学家长" },
    { userid: "zhangli", externalUserId: "wmParentZhao002", remark: "赵同学家长" },
    { userid: "zhangli", externalUserId: "wmParentQian003", remark: "钱同学家长" },
    { userid: "liuyang", externalUserId: "wmParentZhou004", remark: "周同学家长" },
  ],
  groupChats: [
    {
      chatId: "wrSandboxGroupEnglish01",
      name: "三年级英语家长群",
      owner: "zhangli",
      members: [{ userid: "zhangli" }, { userid: "wmParentLi0001" }, { userid: "wmParentZhao002" }],
    },
  ],
  robots: { "sandbox-robot-key": "人事提醒机器人" },
  archivePermitUsers: ["zhangli", "wangfang", "liuyang"],
};

/**
 * The console roles of the demo corp's people, granted on the service's first start against the built-in
 * sandbox (roles are the service's, not WeCom's: real corps grant them by API or ROLES_SEED_FILE): 孙敏 is HR
 * for the whole chain, 陈静 heads 海淀校区 (read-only). Everyone else is a teacher.
 */
export const DEMO_CORP_ROLES: ReadonlyArray<{ userid: string; role: "hr" | "campus_head"; departmentId: number }> = [
  { userid: "hr_sun", role: "hr", departmentId: 1 },
  { userid: "chenjing", role: "campus_head", departmentId: 3 },
];

/** Whom WeChat DevTools' login codes sign in as against the built-in sandbox by default: 张丽, a teacher who may resign. */
export const DEMO_DEVTOOLS_USER = "zhangli";
