import type { EntityManager } from "typeorm";
import type { CompensationGround, LocalWageStandard } from "../rules/settlement";

/**
 * HR's money facts: the city wage figures per branch and year (the nearest
 * branch up the tree that set them applies, like every branch setting), and
 * the per-case inputs (12 months of wages with each month's overtime, leave,
 * the ground).
 */

export interface StoredLocalWage extends LocalWageStandard {
  departmentId: number;
  source: string;
  updatedBy: string;
  updatedAt: Date;
}

const toWage = (r: Record<string, unknown>): StoredLocalWage => ({
  departmentId: r.department_id as number,
  year: r.year as number,
  city: r.city as string,
  averageMonthlyWageFen: Number(r.average_monthly_wage_fen),
  minimumMonthlyWageFen: Number(r.minimum_monthly_wage_fen),
  source: r.source as string,
  updatedBy: r.updated_by as string,
  updatedAt: r.updated_at as Date,
});

/** The figures for `year` set on the branch or the nearest ancestor that has them. */
export async function localWageFor(manager: EntityManager, departmentId: number | null, year: number): Promise<StoredLocalWage | null> {
  if (departmentId === null) return null;
  const rows = await manager.query(
    `SELECT w.* FROM local_wage_standard w JOIN department d ON d.id = $1
     WHERE w.year = $2 AND w.department_id = ANY (d.path)
     ORDER BY array_position(d.path, w.department_id) DESC LIMIT 1`,
    [departmentId, year],
  );
  return rows[0] ? toWage(rows[0]) : null;
}

export async function listLocalWages(manager: EntityManager, departmentId: number): Promise<StoredLocalWage[]> {
  return (await manager.query(`SELECT * FROM local_wage_standard WHERE department_id = $1 ORDER BY year DESC`, [departmentId])).map(toWage);
}

export async function saveLocalWage(manager: EntityManager, w: Omit<StoredLocalWage, "updatedAt" | "updatedBy">, by: string, now: Date): Promise<void> {
  await manager.query(
    `INSERT INTO local_wage_standard (department_id, year, city, average_monthly_wage_fen, minimum_monthly_wage_fen, source, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (department_id, year) DO UPDATE SET city = EXCLUDED.city, average_monthly_wage_fen = EXCLUDED.average_monthly_wage_fen,
       minimum_monthly_wage_fen = EXCLUDED.minimum_monthly_wage_fen, source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
    [w.departmentId, w.year, w.city, w.averageMonthlyWageFen, w.minimumMonthlyWageFen, w.source, by, now],
  );
}

export interface SettlementInputRow {
  ground: CompensationGround;
  /** Each month's wage due, overtime included (实施条例 27). */
  monthlyWagesFen: number[];
  /** The overtime inside each month's wage (企业职工带薪年休假实施办法 11 takes it out of leave pay). */
  monthlyOvertimeFen: number[];
  annualLeave: { entitlementDays: number; takenDays: number } | null;
  updatedBy: string;
  updatedAt: Date;
}

export async function loadSettlementInput(manager: EntityManager, caseId: string): Promise<SettlementInputRow | null> {
  const [r] = await manager.query(`SELECT * FROM settlement_input WHERE case_id = $1`, [caseId]);
  if (!r) return null;
  return {
    ground: r.ground,
    monthlyWagesFen: (r.monthly_wages_fen as string[]).map(Number),
    monthlyOvertimeFen: (r.monthly_overtime_fen as string[]).map(Number),
    annualLeave: r.leave_entitlement_days === null ? null : { entitlementDays: r.leave_entitlement_days, takenDays: r.leave_taken_days ?? 0 },
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  };
}

export async function saveSettlementInput(manager: EntityManager, caseId: string, input: Omit<SettlementInputRow, "updatedBy" | "updatedAt">, by: string, now: Date): Promise<void> {
  await manager.query(
    `INSERT INTO settlement_input (case_id, ground, monthly_wages_fen, monthly_overtime_fen, leave_entitlement_days, leave_taken_days, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (case_id) DO UPDATE SET ground = EXCLUDED.ground, monthly_wages_fen = EXCLUDED.monthly_wages_fen, monthly_overtime_fen = EXCLUDED.monthly_overtime_fen,
       leave_entitlement_days = EXCLUDED.leave_entitlement_days, leave_taken_days = EXCLUDED.leave_taken_days,
       updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
    [caseId, input.ground, input.monthlyWagesFen, input.monthlyOvertimeFen, input.annualLeave?.entitlementDays ?? null, input.annualLeave?.takenDays ?? null, by, now],
  );
}
