/**
 * Runs the search-index back-fill against SEARCH_TEST_DB and SIGKILLs itself
 * in the middle of a batch: after KILL_AFTER_OPENS bodies were decrypted,
 * with that batch's rows locked and nothing of it committed. The test then
 * checks that a fresh back-fill finishes the job.
 */
import "reflect-metadata";
import { createDataSource } from "../../../ormconfig";
import { backfillSearchIndex } from "../../../src/conversations/searchIndex/backfillSearchIndex";
import { SearchIndexKeys } from "../../../src/conversations/searchIndex/searchIndexKeys";
import { DataKeyRing, type Sealed } from "../../../src/platform/dataProtection/keyRing";
import { silentLogger } from "../../../src/platform/logger";

async function main(): Promise<void> {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is unset`);
    return v;
  };
  const dataSource = createDataSource(env("SEARCH_TEST_DB"), 2);
  await dataSource.initialize();
  const killAfter = Number(env("KILL_AFTER_OPENS"));
  let opens = 0;
  class DyingKeyRing extends DataKeyRing {
    override open(sealed: Sealed, context = ""): Buffer {
      if (++opens > killAfter) process.kill(process.pid, "SIGKILL");
      return super.open(sealed, context);
    }
  }
  const keyRing = new DyingKeyRing({ k1: Buffer.from(env("DATA_KEY"), "base64") }, "k1");
  const searchKeys = new SearchIndexKeys({ s1: Buffer.from(env("SEARCH_KEY"), "base64") }, "s1");
  await backfillSearchIndex(
    { dataSource, keyRing, searchKeys, logger: silentLogger() },
    { batchSize: Number(env("BATCH")), onBatch: (p) => void process.stdout.write(`batch indexed=${p.indexed}\n`) },
  );
  process.stdout.write("finished without being killed\n");
  await dataSource.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
