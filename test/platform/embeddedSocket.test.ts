import { Client } from "pg";
import { EMBEDDED_SOCKET_DIRECTORY } from "../../src/platform/db/embeddedPostgres";

/**
 * The service reaches its own embedded PostgreSQL over the server's unix socket (embeddedPostgres.ts says why);
 * the jest run's embedded server is started by the same code, so its local URL is the one the service would use.
 */
const localUrl = process.env.TEST_PG_LOCAL_URL;
if (!localUrl) {
  console.warn("\n*** SKIPPED test/platform/embeddedSocket.test.ts: the tests run on DATABASE_URL, not on an embedded server.\n");
}

(localUrl ? describe : describe.skip)("the embedded server's local URL", () => {
  it("reaches the server through its unix socket, not TCP", async () => {
    expect(localUrl).toMatch(new RegExp(`@${encodeURIComponent(EMBEDDED_SOCKET_DIRECTORY)}:\\d+/postgres$`));
    const client = new Client({ connectionString: localUrl });
    await client.connect();
    try {
      const [row] = (await client.query<{ addr: string | null; dirs: string }>(
        `SELECT inet_server_addr() AS addr, current_setting('unix_socket_directories') AS dirs`,
      )).rows;
      // inet_server_addr() is NULL exactly when the connection is over a unix socket.
      expect(row).toEqual({ addr: null, dirs: EMBEDDED_SOCKET_DIRECTORY });
    } finally {
      await client.end();
    }
  });
});
