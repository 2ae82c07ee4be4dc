import type { DataSource } from "typeorm";
import type { JsonValue } from "../../dossier";
import type { Clock } from "../../platform/clock";
import { MissingSecretError, type WeComClient } from "../../wecom";
import { openItDisableTask } from "../actions/alertActions";
import { departmentPathOf, loadAllLockdownSettings, lockdownFor } from "./lockdownStore";

/** The hour (China time) the leaver's branch disables accounts on the last day; undefined when the branch has no lockdown. */
export async function disableAtHour(dataSource: DataSource, userid: string): Promise<number | undefined> {
  const branch = lockdownFor(await departmentPathOf(dataSource.manager, userid), await loadAllLockdownSettings(dataSource.manager));
  return branch?.settings.enabled ? branch.settings.lastDay.disableAtHour : undefined;
}

/**
 * Disables the leaver's WeCom account on the last day: user/update with
 * enable=0 (only the 通讯录同步 secret may call it, wecom-api.md §3), or,
 * without that secret, an IT task: IT is told at once and reminded every few
 * hours (HR after three reminders) until the directory shows it disabled.
 */
export async function disableLeaverAccount(deps: { dataSource: DataSource; client: WeComClient; clock: Clock }, userid: string): Promise<Record<string, JsonValue>> {
  try {
    await deps.client.user.update({ userid, enable: 0 });
    return { outcome: "disabled", via: "user/update" };
  } catch (err) {
    if (!(err instanceof MissingSecretError)) throw err;
  }
  // By hand: an IT task reminded until the directory shows the account disabled (alerts' IT-task reminders).
  return deps.dataSource.transaction(async (m) => {
    const task = await openItDisableTask(m, userid, deps.clock.now());
    return { outcome: "it_task", taskId: task.taskId, notified: task.notified, ...(task.reused ? { alreadyOpen: true } : {}) };
  });
}
