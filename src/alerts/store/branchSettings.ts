import type { EntityManager } from "typeorm";
import { compileRiskConfig, type CompiledRiskConfig } from "../rules/compiledRiskConfig";
import { notifierSettingsSchema, type NotifierSettings } from "../notifier/notifierSettings";

export interface BranchSettings {
  branchId: number;
  risk: CompiledRiskConfig;
  notifier: NotifierSettings;
  version: number;
}

interface Row {
  branch_id: number;
  rules: unknown;
  notifier: unknown;
  version: number;
}

function toSettings(r: Row): BranchSettings {
  return { branchId: r.branch_id, risk: compileRiskConfig(r.rules), notifier: notifierSettingsSchema.parse(r.notifier), version: r.version };
}

export async function loadAllBranchSettings(m: EntityManager): Promise<BranchSettings[]> {
  const rows: Row[] = await m.query(`SELECT branch_id, rules, notifier, version FROM risk_branch_settings`);
  return rows.map(toSettings);
}

export async function loadBranchSettings(m: EntityManager, branchId: number): Promise<BranchSettings | undefined> {
  const rows: Row[] = await m.query(`SELECT branch_id, rules, notifier, version FROM risk_branch_settings WHERE branch_id = $1`, [branchId]);
  return rows[0] ? toSettings(rows[0]) : undefined;
}

/** Validates (compiling the keyword automata) before anything is stored. */
export async function saveBranchSettings(
  m: EntityManager,
  branchId: number,
  input: { rules: unknown; notifier: unknown },
  updatedBy: string,
  now: Date,
): Promise<BranchSettings> {
  const risk = compileRiskConfig({ ...(input.rules as object), branchId: String(branchId) });
  const notifier = notifierSettingsSchema.parse(input.notifier ?? {});
  const [row]: Row[] = await m.query(
    `INSERT INTO risk_branch_settings (branch_id, rules, notifier, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (branch_id) DO UPDATE SET rules = EXCLUDED.rules, notifier = EXCLUDED.notifier, updated_by = EXCLUDED.updated_by,
       updated_at = EXCLUDED.updated_at, version = risk_branch_settings.version + 1
     RETURNING branch_id, rules, notifier, version`,
    [branchId, JSON.stringify(risk.config), JSON.stringify(notifier), updatedBy, now],
  );
  return toSettings(row!);
}

/** The branch whose settings govern a staff member: the deepest configured department on their path. */
export function branchFor(path: number[], configured: ReadonlyMap<number, BranchSettings>): BranchSettings | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const s = configured.get(path[i]!);
    if (s) return s;
  }
  return undefined;
}
