import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import { redactedPaths } from "../../src/platform/logger";

export interface CapturedLogger {
  logger: Logger;
  /** Every line logged so far, parsed (pino JSON: msg, level, and the bound fields). */
  lines: Array<Record<string, unknown> & { msg?: string }>;
}

/** A logger like the service's (same redaction) whose lines a test can assert on. */
export function capturedLogger(level = "info"): CapturedLogger {
  const lines: CapturedLogger["lines"] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level, redact: { paths: redactedPaths, censor: "[REDACTED]" } }, sink), lines };
}
