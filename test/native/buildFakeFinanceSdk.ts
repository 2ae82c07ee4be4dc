import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Compile fake_finance_sdk.c into a shared library named like the real SDK.
 * Returns undefined when no C compiler is installed (the caller skips with a
 * message); a compile error is a real failure and throws.
 */
export function buildFakeFinanceSdk(): string | undefined {
  const cc = process.env.CC ?? "cc";
  if (spawnSync(cc, ["--version"], { stdio: "ignore" }).status !== 0) return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), "fake-finance-sdk-"));
  const output = path.join(dir, "libWeWorkFinanceSdk_C.so");
  execFileSync(cc, ["-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", output, path.join(__dirname, "fake_finance_sdk.c")], { stdio: "pipe" });
  return output;
}
