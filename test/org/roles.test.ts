import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TestClock } from "../../src/platform/clock";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { SessionTokens } from "../../src/auth/sessionToken";
import { sessionSecret } from "../../src/auth/sessionSecret";
import { startService, type RunningService } from "../../src/service";
import { json } from "../support/http";
import { testConfig } from "../support/testConfig";
import { createTestDatabase } from "../support/testDatabase";

describe("role administration", () => {
  const clock = new TestClock("2026-03-02T09:00:00+08:00");
  let db: Database;
  let service: RunningService;
  let base: string;
  let tokens: SessionTokens;
  const seedFile = path.join(mkdtempSync(path.join(os.tmpdir(), "wpg-roles-")), "roles.json");

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(`INSERT INTO department (id, name, parent_id, path) VALUES (1, '总部', NULL, '{1}'), (3, '徐汇校区', 1, '{1,3}')`);
    writeFileSync(seedFile, JSON.stringify([{ userid: "boss", role: "hq_admin", departmentId: null }]));
    const config = testConfig({ ROLES_SEED_FILE: seedFile, OPS_TOKEN: "ops-secret-token" });
    service = await startService(config, silentLogger(), { database: db, clock });
    tokens = new SessionTokens(sessionSecret(config, silentLogger()));
    base = `http://127.0.0.1:${service.port}/api/admin/roles`;
  });
  afterAll(async () => {
    await service.stop();
    await db.close();
  });

  const as = (userid: string) => ({
    Authorization: `Bearer ${tokens.issue(userid, "console", clock.now(), 3600)}`,
    "content-type": "application/json",
  });

  it("grants the seed file's roles on first start", async () => {
    const res = await fetch(base, { headers: as("boss") });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual([expect.objectContaining({ userid: "boss", role: "hq_admin", grantedBy: "seed" })]);
  });

  it("lets an HQ admin grant a scoped role and refuses a duplicate", async () => {
    const body = JSON.stringify({ userid: "hr-a", role: "hr", departmentId: 3 });
    const created = await fetch(base, { method: "POST", headers: as("boss"), body });
    expect(created.status).toBe(201);
    const again = await fetch(base, { method: "POST", headers: as("boss"), body });
    expect(again.status).toBe(409);
  });

  it("validates grants with field details", async () => {
    const res = await fetch(base, { method: "POST", headers: as("boss"), body: JSON.stringify({ userid: "x", role: "hr" }) });
    expect(res.status).toBe(400);
    expect((await json(res)).error.details).toEqual([expect.objectContaining({ path: "departmentId" })]);
    const unknownDept = await fetch(base, {
      method: "POST",
      headers: as("boss"),
      body: JSON.stringify({ userid: "x", role: "hr", departmentId: 99 }),
    });
    expect(unknownDept.status).toBe(400);
  });

  it("refuses non-admins, missing and expired sessions", async () => {
    expect((await fetch(base, { headers: as("hr-a") })).status).toBe(403);
    expect((await fetch(base)).status).toBe(401);
    const expired = tokens.issue("boss", "console", new Date(clock.now().getTime() - 7200_000), 3600);
    const res = await fetch(base, { headers: { Authorization: `Bearer ${expired}` } });
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toBe("登录已过期，请重新登录");
    const forged = tokens.issue("boss", "console", clock.now(), 3600).replace(/.$/, "x");
    expect((await fetch(base, { headers: { Authorization: `Bearer ${forged}` } })).status).toBe(401);
    const wrongAudience = tokens.issue("boss", "mp", clock.now(), 3600);
    expect((await fetch(base, { headers: { Authorization: `Bearer ${wrongAudience}` } })).status).toBe(401);
  });

  it("accepts the operator token as the system and revokes grants", async () => {
    const list = await json(await fetch(base, { headers: { Authorization: "Bearer ops-secret-token" } }));
    const grant = list.data.find((g: { userid: string }) => g.userid === "hr-a");
    const del = await fetch(`${base}/${grant.id}`, { method: "DELETE", headers: { Authorization: "Bearer ops-secret-token" } });
    expect(del.status).toBe(204);
    const missing = await fetch(`${base}/${grant.id}`, { method: "DELETE", headers: { Authorization: "Bearer ops-secret-token" } });
    expect(missing.status).toBe(404);
  });
});
