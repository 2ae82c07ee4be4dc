import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Compile fake_finance_sdk.c into a shared library named like the real SDK
 * (linked with OpenSSL's libcrypto for its AES). A missing compiler or
 * OpenSSL headers is a failure, not a skip: the test set-up installs both
 * (README "Two commands", .ci/run), and a suite that silently skips proves
 * nothing.
 */
export function buildFakeFinanceSdk(): string {
  const cc = process.env.CC ?? "cc";
  if (spawnSync(cc, ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error(`no C compiler (${cc}): install gcc and libssl-dev (apt-get install gcc libssl-dev) to build the Finance SDK stand-in`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "fake-finance-sdk-"));
  const output = path.join(dir, "libWeWorkFinanceSdk_C.so");
  try {
    execFileSync(cc, ["-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", output, path.join(__dirname, "fake_finance_sdk.c"), "-lcrypto"], { stdio: "pipe" });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`could not build the Finance SDK stand-in (is libssl-dev installed?):\n${stderr}`);
  }
  return output;
}
