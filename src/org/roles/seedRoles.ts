import { existsSync, readFileSync } from "node:fs";
import type { DataSource } from "typeorm";
import type { Clock } from "../../platform/clock";
import type { Logger } from "../../platform/logger";
import type { z } from "zod";
import { roleSeedSchema } from "./schema";

export type RoleSeed = z.infer<typeof roleSeedSchema>[number];

/**
 * First start: with no role granted yet, grant the roles listed in the seed
 * file (JSON array of {userid, role, departmentId}) — or, without a file, the
 * given defaults (the WeCom sandbox's demo corp, so a local try-out is not an
 * empty dashboard). Later changes go through the admin API, so neither ever
 * overrides what an admin decided.
 */
export async function seedRolesOnFirstStart(
  dataSource: DataSource,
  file: string | undefined,
  clock: Clock,
  logger: Logger,
  defaults?: readonly RoleSeed[],
): Promise<number> {
  const fromFile = !!file && existsSync(file);
  if (!fromFile && !defaults?.length) return 0;
  const seed = fromFile ? roleSeedSchema.parse(JSON.parse(readFileSync(file, "utf8"))) : roleSeedSchema.parse(defaults);
  return dataSource.transaction(async (manager) => {
    await manager.query(`LOCK TABLE role_grant IN SHARE ROW EXCLUSIVE MODE`);
    const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM role_grant`);
    if (count > 0) return 0;
    for (const g of seed) {
      await manager.query(
        `INSERT INTO role_grant (userid, role, department_id, granted_by, granted_at) VALUES ($1, $2, $3, 'seed', $4) ON CONFLICT DO NOTHING`,
        [g.userid, g.role, g.departmentId, clock.now()],
      );
    }
    logger.info({ source: fromFile ? file : "the WeCom sandbox's demo corp", grants: seed.length }, "roles seeded on first start");
    return seed.length;
  });
}
