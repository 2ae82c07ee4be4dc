import type { DossierEntry } from "../../dossier";
import type { StepRow } from "../commands/approvalSteps";
import { CARD_SYNC_LABELS } from "../rules/cardUpdate";

/**
 * What became of the approvers' WeCom cards after a step was decided in the console, from the step's record
 * in the dossier: the sync's own entry (queued, or why nothing was tried) and, once queued, WeCom's answer
 * to the update. Undefined for steps not decided in the console (their card was the one clicked).
 */
export function cardSyncNote(step: Pick<StepRow, "step" | "round" | "decision" | "decidedVia">, dossier: readonly DossierEntry[]): string | undefined {
  if (step.decidedVia !== "console" || (step.decision !== "approved" && step.decision !== "rejected")) return undefined;
  const mine = dossier.filter((e) => {
    const p = (e.payload ?? {}) as Record<string, unknown>;
    return p.step === step.step && p.round === step.round;
  });
  const sync = mine.filter((e) => e.kind === "approval_card_sync").at(-1);
  if (!sync) return undefined;
  const outcome = (sync.payload as Record<string, unknown>).outcome;
  if (outcome !== "queued") return CARD_SYNC_LABELS[outcome as keyof typeof CARD_SYNC_LABELS];
  const answer = mine.filter((e) => (e.kind === "message_sent" || e.kind === "message_failed") && (e.payload as Record<string, unknown>).code === "send" && e.seq > sync.seq).at(-1);
  if (!answer) return CARD_SYNC_LABELS.usable;
  if (answer.kind === "message_sent") return CARD_SYNC_LABELS.sent;
  return (answer.payload as Record<string, unknown>).outcome === "unknown" ? CARD_SYNC_LABELS.unknown : CARD_SYNC_LABELS.failed;
}
