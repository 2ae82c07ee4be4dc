import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { assertMediaAddress, checkedObject, type MediaStore } from "./mediaStore";

/**
 * The default store: one file per object under a folder (by default beside
 * the embedded database, in the data folder). Objects fan out over 256
 * sub-folders by their first two hex digits so no folder grows huge.
 *
 * A put is atomic and durable: the bytes go to a temporary file in the same
 * file system, are fsync'ed, then renamed onto the final name, and the folder
 * is fsync'ed so the rename itself survives a power cut. A crash leaves
 * either no object or the whole object, never a torn one; a leftover
 * temporary file is swept by sweepTemporaryFiles.
 */
export class FsMediaStore implements MediaStore {
  readonly description: string;
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, "tmp");
    this.description = `filesystem ${this.root}`;
  }

  private fileOf(address: string): string {
    assertMediaAddress(address);
    return path.join(this.root, address.slice(0, 2), address);
  }

  async put(address: string, data: Buffer): Promise<void> {
    const file = this.fileOf(address);
    if (await exists(file)) return; // content-addressed: the same name holds the same bytes
    const dir = path.dirname(file);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.tmpDir, `${address}.${randomBytes(6).toString("hex")}`);
    const handle = await fs.open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    await fsyncDir(dir);
  }

  async get(address: string): Promise<Buffer | null> {
    try {
      return checkedObject(address, await fs.readFile(this.fileOf(address)), this.description);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async delete(address: string): Promise<void> {
    const file = this.fileOf(address);
    await fs.rm(file, { force: true });
    await fsyncDir(path.dirname(file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
  }

  /** Temporary files older than `olderThanMs` are what a crash mid-put left behind: removed. Returns how many. */
  async sweepTemporaryFiles(now: Date, olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.tmpDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      const stat = await fs.stat(file).catch(() => null);
      if (stat && now.getTime() - stat.mtimeMs >= olderThanMs) {
        await fs.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** fsync of a folder makes a rename or unlink in it durable (POSIX; a no-op where the platform refuses it). */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } catch (err) {
    if (!["EINVAL", "EPERM", "EISDIR"].includes((err as NodeJS.ErrnoException).code ?? "")) throw err;
  } finally {
    await handle.close();
  }
}
