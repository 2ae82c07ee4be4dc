import { CAST } from "../cast";
import type { StoryContext } from "../storyContext";

/** Kinds the case's evidence must hold by now, in the order they happened. */
const EXPECTED_KINDS = ["case_started", "notice_signed", "approval_decided", "reminder_sent", "approval_complete"];

/**
 * Step 9. HR exports the hash-chained dossier and verifies it; then one entry
 * of the exported file is altered (the requested last day moved earlier) and
 * verification fails, naming that entry.
 */
export async function verifyDossier(s: StoryContext): Promise<void> {
  const { env, t } = s;
  const caseId = s.caseId!;
  t.step(9, "导出并校验证据档案，篡改后校验失败", "export and verify the dossier; an altered entry fails verification");
  const hr = env.consoleToken(CAST.hr);
  const exported = await s.http("GET", `/api/hr/cases/${caseId}/dossier.json`, hr);
  const entries: { kind: string; payload: Record<string, unknown> }[] = exported.body?.entries ?? [];
  const kinds = entries.map((e) => e.kind);
  const missing = EXPECTED_KINDS.filter((k) => !kinds.includes(k));
  t.check("证据档案已导出 · dossier exported", exported.status === 200 && missing.length === 0, `${entries.length} entries${missing.length ? `, missing ${missing.join(",")}` : ""}`);
  const intact = await s.http("POST", `/api/hr/cases/${caseId}/dossier/verify`, hr, { dossier: exported.body });
  t.check("完整档案校验通过 · the intact dossier verifies", intact.body?.verification?.ok === true, `${entries.length} entries chained`);

  const altered = structuredClone(exported.body);
  const index = kinds.indexOf("case_started");
  altered.entries[index].payload.requestedLastDay = "2026-03-10";
  const tampered = await s.http("POST", `/api/hr/cases/${caseId}/dossier/verify`, hr, { dossier: altered });
  const verdict = tampered.body?.verification;
  t.check("篡改后校验失败并指出条目 · the altered entry fails verification", verdict?.ok === false && verdict.index === index, `index ${verdict?.index}: ${verdict?.problem}`);
}
