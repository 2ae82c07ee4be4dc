import type { DataSource } from "typeorm";
import type { JsonValue } from "../../dossier/canonicalJson";
import type { Clock } from "../../platform/clock";
import { MissingSecretError, type WeComClient } from "../../wecom/client";
import { enqueueNotification } from "../notifier/alertOutbox";
import { departmentPathOf, loadAllLockdownSettings, lockdownFor } from "./lockdownStore";

/** The hour (China time) the leaver's branch disables accounts on the last day; undefined when the branch has no lockdown. */
export async function disableAtHour(dataSource: DataSource, userid: string): Promise<number | undefined> {
  const branch = lockdownFor(await departmentPathOf(dataSource.manager, userid), await loadAllLockdownSettings(dataSource.manager));
  return branch?.settings.enabled ? branch.settings.lastDay.disableAtHour : undefined;
}

/**
 * Disables the leaver's WeCom account on the last day: user/update with
 * enable=0 (only the 通讯录同步 secret may call it, wecom-api.md §3), or,
 * without that secret, a task for IT by app message.
 */
export async function disableLeaverAccount(deps: { dataSource: DataSource; client: WeComClient; clock: Clock }, userid: string): Promise<Record<string, JsonValue>> {
  try {
    await deps.client.user.update({ userid, enable: 0 });
    return { outcome: "disabled", via: "user/update" };
  } catch (err) {
    if (!(err instanceof MissingSecretError)) throw err;
  }
  return deps.dataSource.transaction(async (m) => {
    const it: { userid: string }[] = await m.query(`SELECT DISTINCT userid FROM role_grant WHERE role = 'it' ORDER BY userid`);
    const [staff] = await m.query(`SELECT name FROM staff WHERE userid = $1`, [userid]);
    const touser = it.map((r) => r.userid);
    if (touser.length > 0) {
      const content = `【IT任务】今天是${staff?.name ?? "该员工"}的最后工作日，最后的聊天记录已存档。请在企业微信管理后台停用其账号（系统未配置通讯录同步Secret，无法自动停用）；停用后家长将转交给接任老师。`;
      await enqueueNotification(m, { channel: "app", target: touser.join("|"), alertId: null, purpose: "it_task", payload: { type: "text", touser, content } }, deps.clock.now());
    }
    return { outcome: "it_task", notified: touser.length };
  });
}
