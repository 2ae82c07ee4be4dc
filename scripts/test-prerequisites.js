#!/usr/bin/env node
/**
 * `npm test`'s first step: what the suite needs from the operating system,
 * installed when missing and allowed, so the README's two commands work on a
 * fresh Debian machine (issue 16):
 *   - Chromium, for the HR console's browser tests (Debian package chromium);
 *   - CJK fonts, so those pages render Chinese (fonts-noto-cjk);
 *   - a C compiler, for the Finance SDK stand-in the native tests build (gcc).
 * As root with apt-get, missing packages are installed (apt-get update first
 * when the package lists are empty or stale). Anywhere else, it names what is
 * missing and the command that installs it, and fails: a test that cannot run
 * is not a pass.
 */
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const onPath = (name) => {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
};
/** After apt-get installs, the binaries are in /usr/bin even when PATH does not list it. */
const installedOrOnPath = (name, afterInstall) => onPath(name) || (afterInstall && fs.existsSync(`/usr/bin/${name}`) ? `/usr/bin/${name}` : undefined);

const prerequisites = [
  {
    what: "Chromium (browser tests of the HR console)",
    pkg: "chromium",
    found: (after) => (process.env.CHROMIUM_PATH ? (fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined) : installedOrOnPath("chromium", after)),
  },
  {
    what: "CJK fonts (Chinese text in browser screenshots)",
    pkg: "fonts-noto-cjk",
    found: (after) => {
      const fcList = installedOrOnPath("fc-list", after);
      if (!fcList) return undefined;
      const out = spawnSync(fcList, [":lang=zh", "family"], { encoding: "utf8" });
      return out.status === 0 && /Noto (Sans|Serif) CJK/.test(out.stdout) ? "Noto CJK" : undefined;
    },
  },
  {
    what: "a C compiler (the Finance SDK stand-in of the native tests)",
    pkg: "gcc",
    found: (after) => (process.env.CC ? onPath(process.env.CC) || (fs.existsSync(process.env.CC) ? process.env.CC : undefined) : installedOrOnPath("gcc", after) || installedOrOnPath("cc", after)),
  },
  {
    // The stand-in's DecryptData is AES (OpenSSL's libcrypto), as the real SDK's contract: RSA-decrypted random key + AES.
    what: "OpenSSL headers (the Finance SDK stand-in links libcrypto)",
    pkg: "libssl-dev",
    found: () => (fs.existsSync("/usr/include/openssl/evp.h") ? "/usr/include/openssl/evp.h" : undefined),
  },
];

function main() {
  const missing = prerequisites.filter((p) => !p.found(false));
  if (missing.length === 0) return;
  const pkgs = missing.map((m) => m.pkg);
  for (const m of missing) log(`missing: ${m.what} — Debian package ${m.pkg}`);
  const apt = installedOrOnPath("apt-get", true);
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!apt || !root) {
    const why = !apt ? "this machine has no apt-get" : "installing needs root";
    fail(
      `${why}. Install them yourself, then run npm test again:\n` +
        (apt ? `    sudo apt-get install -y ${pkgs.join(" ")}\n` : `    (Debian/Ubuntu) apt-get install -y ${pkgs.join(" ")}\n`) +
        `  or point the tests at what you have: CHROMIUM_PATH=/path/to/chromium, CC=/path/to/cc`,
    );
  }
  log(`installing with apt-get: ${pkgs.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync(apt, ["install", "-y", "-qq", ...pkgs], { env, stdio: ["ignore", "inherit", "inherit"] }).status === 0;
  if (!install()) {
    log("apt-get install failed; refreshing the package lists (apt-get update) and trying again");
    const update = spawnSync(apt, ["update", "-qq"], { env, stdio: ["ignore", "inherit", "inherit"] });
    if (update.status !== 0 || !install()) fail(`apt-get could not install ${pkgs.join(" ")} (see apt's message above); install them by hand and run npm test again`);
  }
  const still = missing.filter((p) => !p.found(true));
  if (still.length > 0) {
    fail(`installed, but still not found: ${still.map((m) => m.what).join("; ")}` + (process.env.CHROMIUM_PATH ? ` (CHROMIUM_PATH=${process.env.CHROMIUM_PATH})` : ""));
  }
  log(`installed: ${pkgs.join(" ")}`);
  try {
    execFileSync("fc-cache", ["-f"], { stdio: "ignore" });
  } catch {
    /* fontconfig refreshes its cache on its own too */
  }
}

function log(line) {
  process.stdout.write(`test prerequisites: ${line}\n`);
}

function fail(message) {
  process.stderr.write(`test prerequisites: ${message}\n`);
  process.exit(1);
}

main();
