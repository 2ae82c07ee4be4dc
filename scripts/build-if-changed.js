#!/usr/bin/env node
/**
 * `npm start`'s build step: compile only when an input changed since the last
 * build, so a restart is not a full TypeScript compile (issue 16: ready in
 * ≤ 3 s on restart). Inputs are every file tsconfig.build.json compiles plus
 * the compiler settings and the lockfile; their paths, sizes and mtimes make
 * the stamp kept in dist/. A changed file set (a file added or removed) gets
 * a clean build, so a deleted migration never lingers in dist/; otherwise tsc
 * builds incrementally from its own build info.
 */
const { spawnSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
const stampFile = path.join(dist, ".build-stamp.json");
const sourceDirs = ["src", "migrations", "bench"];
const singleFiles = ["ormconfig.ts", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

function walk(dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && /\.(ts|json)$/.test(e.name) && !e.name.endsWith(".test.ts")) out.push(p);
  }
}

function inputs() {
  const files = [];
  for (const d of sourceDirs) walk(path.join(root, d), files);
  for (const f of singleFiles) if (fs.existsSync(path.join(root, f))) files.push(path.join(root, f));
  files.sort();
  const list = files.map((f) => path.relative(root, f));
  const state = createHash("sha256");
  for (const f of files) {
    const st = fs.statSync(f);
    state.update(`${path.relative(root, f)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return { list: createHash("sha256").update(list.join("\n")).digest("hex"), state: state.digest("hex") };
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * One build at a time per checkout (two `npm start`s, or test files starting
 * built services side by side): an exclusive lock file, taken over when its
 * holder is gone.
 */
function lock() {
  const file = path.join(root, "node_modules", ".cache", "build-if-changed.lock");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      process.on("exit", () => fs.rmSync(file, { force: true }));
      return;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      const holder = Number(fs.readFileSync(file, "utf8") || 0);
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = true;
      } catch {
        /* holder gone */
      }
      if (!alive) fs.rmSync(file, { force: true });
      else if (Date.now() > deadline) throw new Error(`another build (pid ${holder}) holds ${file}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

lock();
const now = inputs();
const stamp = readStamp();
if (stamp && stamp.state === now.state && fs.existsSync(path.join(dist, "src", "main.js"))) {
  process.stdout.write("build: up to date (nothing changed since the last build)\n");
  process.exit(0);
}
if (!stamp || stamp.list !== now.list) {
  fs.rmSync(dist, { recursive: true, force: true });
  process.stdout.write("build: compiling everything\n");
} else {
  process.stdout.write("build: compiling what changed\n");
}
const tsc = require.resolve("typescript/bin/tsc");
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--incremental", "--tsBuildInfoFile", path.join(dist, ".tsbuildinfo")], {
  cwd: root,
  stdio: "inherit",
});
if (result.status !== 0) {
  process.stderr.write("build failed: fix the TypeScript errors above, then npm start again\n");
  process.exit(result.status ?? 1);
}
fs.writeFileSync(stampFile, JSON.stringify(now));
