import type { DataSource } from "typeorm";
import { loadAllBranchSettings, type BranchSettings } from "../store/branchSettings";

const MAX_AGE_MS = 30_000;

/**
 * Compiled branch settings (keyword automata are built once per version, not
 * per message). Reloaded after a settings change in this process and at most
 * 30 s late for a change made by another instance.
 */
export class BranchSettingsCache {
  private loaded: Promise<Map<number, BranchSettings>> | undefined;
  private loadedAt = 0;

  constructor(private readonly dataSource: DataSource) {}

  get(): Promise<Map<number, BranchSettings>> {
    if (!this.loaded || performance.now() - this.loadedAt > MAX_AGE_MS) {
      this.loadedAt = performance.now();
      this.loaded = loadAllBranchSettings(this.dataSource.manager).then((all) => new Map(all.map((s) => [s.branchId, s])));
      this.loaded.catch(() => (this.loaded = undefined));
    }
    return this.loaded;
  }

  invalidate(): void {
    this.loaded = undefined;
  }
}
