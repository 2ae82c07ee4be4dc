import type { DataSource, EntityManager } from "typeorm";

export interface TokenKey {
  corpId: string;
  kind: string;
  fingerprint: string;
}

export interface StoredToken {
  accessToken: string;
  expiresAt: Date;
  fetchedAt: Date;
}

interface TokenRow {
  access_token: string;
  expires_at: Date;
  fetched_at: Date;
}

const selectSql = `
  SELECT access_token, expires_at, fetched_at FROM wecom_access_token
  WHERE corp_id = $1 AND secret_kind = $2 AND secret_fingerprint = $3`;

/** The PostgreSQL table that lets every instance share one token per secret. */
export class AccessTokenStore {
  constructor(private readonly dataSource: DataSource) {}

  async read(key: TokenKey): Promise<StoredToken | undefined> {
    return this.readWith(this.dataSource.manager, key);
  }

  /**
   * Cross-instance single flight: under a transaction-scoped advisory lock for this key,
   * re-read the row and call `fetch` only if it is still stale, so instances racing on an
   * expired token make one gettoken between them.
   */
  async replaceIfStale(
    key: TokenKey,
    isStale: (current: StoredToken | undefined) => boolean,
    fetch: () => Promise<StoredToken>,
  ): Promise<StoredToken> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `wecom_access_token:${key.corpId}:${key.kind}:${key.fingerprint}`,
      ]);
      const current = await this.readWith(manager, key);
      if (!isStale(current)) return current!;
      const fresh = await fetch();
      await manager.query(
        `INSERT INTO wecom_access_token
           (corp_id, secret_kind, secret_fingerprint, access_token, expires_at, fetched_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (corp_id, secret_kind, secret_fingerprint) DO UPDATE SET
           access_token = EXCLUDED.access_token, expires_at = EXCLUDED.expires_at, fetched_at = EXCLUDED.fetched_at`,
        [key.corpId, key.kind, key.fingerprint, fresh.accessToken, fresh.expiresAt, fresh.fetchedAt],
      );
      return fresh;
    });
  }

  /** Forget a token WeCom rejected, unless another instance already replaced it. */
  async invalidate(key: TokenKey, accessToken: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM wecom_access_token
       WHERE corp_id = $1 AND secret_kind = $2 AND secret_fingerprint = $3 AND access_token = $4`,
      [key.corpId, key.kind, key.fingerprint, accessToken],
    );
  }

  private async readWith(manager: EntityManager, key: TokenKey): Promise<StoredToken | undefined> {
    const rows: TokenRow[] = await manager.query(selectSql, [key.corpId, key.kind, key.fingerprint]);
    const row = rows[0];
    return row && { accessToken: row.access_token, expiresAt: row.expires_at, fetchedAt: row.fetched_at };
  }
}
