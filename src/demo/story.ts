import type { StoryEnv } from "./env";
import { createStoryContext, type StoryContext } from "./storyContext";
import type { Check, Transcript } from "./transcript";
import { setUpChain } from "./steps/setUpChain";
import { mirrorConversations } from "./steps/mirrorConversations";
import { resignThroughBot } from "./steps/resignThroughBot";
import { approveWithReminder } from "./steps/approveWithReminder";
import { massMessagingAlert } from "./steps/massMessagingAlert";
import { lastDay, transferOutcomes } from "./steps/lastDay";
import { verifyDossier } from "./steps/verifyDossier";
import { handoverHealth } from "./steps/handoverHealth";
import { exitInterview } from "./steps/exitInterview";
import { settlementStatement } from "./steps/settlementStatement";

export interface StorySummary {
  messagesMirrored: number;
  reminders: number;
  transfers: Record<string, number>;
  alerts: number;
}

export interface StoryResult {
  ok: boolean;
  checks: readonly Check[];
  /** A step that threw: the story stops there (later steps need its outcome). */
  error?: { step: number; message: string };
  summary: StorySummary;
  caseId?: string;
}

const STEPS: ReadonlyArray<(s: StoryContext) => Promise<void>> = [
  setUpChain,
  mirrorConversations,
  resignThroughBot,
  approveWithReminder,
  massMessagingAlert,
  exitInterview,
  lastDay,
  settlementStatement,
  verifyDossier,
  handoverHealth,
];

/**
 * The whole product story, step by step, against a running service and
 * sandbox. `npm run demo` prints it; the end-to-end test asserts on it. It is
 * ok only when every step ran and every check passed.
 */
export async function playStory(env: StoryEnv, t: Transcript): Promise<StoryResult> {
  const s = createStoryContext(env, t);
  let error: StoryResult["error"];
  for (const [i, step] of STEPS.entries()) {
    try {
      await step(s);
    } catch (err) {
      error = { step: i + 1, message: err instanceof Error ? err.message : String(err) };
      t.check(`步骤中断 · step aborted: ${error.message}`, false);
      break;
    }
  }
  const summary = await summarise(s);
  const ok = !error && t.checks.length > 0 && t.checks.every((c) => c.ok);
  return { ok, checks: t.checks, ...(error ? { error } : {}), summary, ...(s.caseId ? { caseId: s.caseId } : {}) };
}

async function summarise(s: StoryContext): Promise<StorySummary> {
  return {
    messagesMirrored: await s.count(`SELECT count(*) AS n FROM archive_message`),
    reminders: await s.count(`SELECT count(*) AS n FROM reminder_delivery WHERE kind = 'reminder'`),
    transfers: await transferOutcomes(s),
    alerts: await s.count(`SELECT count(*) AS n FROM alert`),
  };
}

/** The closing table of the demo. */
export function summaryTable(result: StoryResult): string[] {
  const rows: [string, string][] = [
    ["镜像消息 · messages mirrored", String(result.summary.messagesMirrored)],
    ["提醒 · reminders", String(result.summary.reminders)],
    ...Object.entries(result.summary.transfers).map(([status, n]): [string, string] => [`家长转接 · transfers ${status}`, String(n)]),
    ["预警 · alerts", String(result.summary.alerts)],
    ["检查通过 · checks passed", `${result.checks.filter((c) => c.ok).length}/${result.checks.length}`],
  ];
  const width = Math.max(...rows.map(([k]) => displayWidth(k)));
  const line = `+${"-".repeat(width + 2)}+${"-".repeat(8)}+`;
  return [line, ...rows.map(([k, v]) => `| ${k}${" ".repeat(width - displayWidth(k))} | ${v.padStart(6)} |`), line];
}

/** CJK characters take two columns in a terminal. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return width;
}
