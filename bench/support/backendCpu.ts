import { readFileSync } from "node:fs";
import type { DataSource } from "typeorm";

/**
 * CPU time spent by this database's client backends, in milliseconds (Linux:
 * /proc/<pid>/schedstat, the embedded PostgreSQL runs on this machine). Wall
 * time on a shared, loaded machine mostly measures the queue for a core; CPU
 * time measures the work. null where /proc cannot be read (another OS, a
 * remote database): callers then report wall time only.
 */
export interface BackendCpu {
  /** Milliseconds of CPU the backends used since `since()` was called. */
  since(): Promise<() => Promise<number | null>>;
}

const cpuOfPid = (pid: number): number | null => {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
};

export function backendCpu(ds: DataSource): BackendCpu {
  const pids = async (): Promise<number[]> =>
    (await ds.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`)).map((r: { pid: number }) => r.pid);
  return {
    async since() {
      const start = new Map<number, number | null>((await pids()).map((pid) => [pid, cpuOfPid(pid)]));
      return async () => {
        // The backends known at the start, read before asking for the list again (that question costs CPU too);
        // a backend that started meanwhile counts whole.
        const known = [...start].map(([pid, at]) => ({ at, now: cpuOfPid(pid) }));
        const started = (await pids()).filter((pid) => !start.has(pid)).map((pid) => ({ at: 0, now: cpuOfPid(pid) }));
        let total = 0;
        for (const { at, now } of [...known, ...started]) {
          if (at === null) return null;
          total += (now ?? at) - at; // a backend gone meanwhile: its last reading is lost, counted as nothing more
        }
        return total;
      };
    },
  };
}
