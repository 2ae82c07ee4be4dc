/**
 * Where the story reports what it does: one heading per step and one line per
 * check. The demo prints it; the end-to-end test keeps it silent and asserts
 * on the recorded checks instead.
 */
export interface Check {
  step: number;
  label: string;
  ok: boolean;
  detail?: string;
}

export interface Transcript {
  step(n: number, zh: string, en: string): void;
  note(text: string): void;
  check(label: string, ok: boolean, detail?: string): boolean;
  readonly checks: readonly Check[];
}

export function createTranscript(print: (line: string) => void = () => undefined): Transcript {
  const checks: Check[] = [];
  let current = 0;
  return {
    checks,
    step(n, zh, en) {
      current = n;
      print("");
      print(`步骤 ${n} · Step ${n} — ${zh} / ${en}`);
    },
    note(text) {
      print(`    · ${text}`);
    },
    check(label, ok, detail) {
      checks.push({ step: current, label, ok, ...(detail === undefined ? {} : { detail }) });
      print(`  ${ok ? "✓" : "✗"} ${label}${detail ? `  (${detail})` : ""}`);
      return ok;
    },
  };
}

/** A silent transcript: the test reads `checks`. */
export function silentTranscript(): Transcript {
  return createTranscript();
}
