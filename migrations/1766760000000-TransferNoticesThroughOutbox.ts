import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The handover's notices (the HR problem report, the parents' introduction 群发) are sent by the one WeCom
 * outbox (issue 17) instead of their own claim loop. transfer_notification stays the handover's record of
 * what it decided to say and how it ended; `queued_at` marks a notice handed to the outbox. Notices already
 * sent or failed count as handled; a notice still pending is handed over by the next lifecycle pass (one an
 * older version had tried is looked up in WeCom's group-send records before any new call). The outbox gets
 * the 群发 channel, and a notice may end "unknown" (WeCom may have it; it is not sent again).
 */
export class TransferNoticesThroughOutbox1766760000000 implements MigrationInterface {
  name = "TransferNoticesThroughOutbox1766760000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wecom_outbox DROP CONSTRAINT wecom_outbox_channel_check`);
    await q.query(`ALTER TABLE wecom_outbox ADD CONSTRAINT wecom_outbox_channel_check CHECK (channel IN ('app', 'card_update', 'robot', 'msg_template'))`);
    await q.query(`ALTER TABLE transfer_notification ADD COLUMN queued_at timestamptz`);
    await q.query(`UPDATE transfer_notification SET queued_at = coalesce(sent_at, created_at) WHERE state <> 'pending'`);
    await q.query(`ALTER TABLE transfer_notification DROP CONSTRAINT transfer_notification_state_check`);
    await q.query(`ALTER TABLE transfer_notification ADD CONSTRAINT transfer_notification_state_check CHECK (state IN ('pending', 'sent', 'failed', 'unknown'))`);
    await q.query(`DROP INDEX transfer_notification_pending`);
    await q.query(`CREATE INDEX transfer_notification_unqueued ON transfer_notification (id) WHERE queued_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX transfer_notification_unqueued`);
    await q.query(`CREATE INDEX transfer_notification_pending ON transfer_notification (id) WHERE state = 'pending'`);
    await q.query(`UPDATE transfer_notification SET state = 'failed' WHERE state = 'unknown'`);
    await q.query(`ALTER TABLE transfer_notification DROP CONSTRAINT transfer_notification_state_check`);
    await q.query(`ALTER TABLE transfer_notification ADD CONSTRAINT transfer_notification_state_check CHECK (state IN ('pending', 'sent', 'failed'))`);
    await q.query(`ALTER TABLE transfer_notification DROP COLUMN queued_at`);
    await q.query(`DELETE FROM wecom_outbox WHERE channel = 'msg_template' AND sent_at IS NULL AND failed_at IS NULL`);
    await q.query(`ALTER TABLE wecom_outbox DROP CONSTRAINT wecom_outbox_channel_check`);
    await q.query(`ALTER TABLE wecom_outbox ADD CONSTRAINT wecom_outbox_channel_check CHECK (channel IN ('app', 'card_update', 'robot'))`);
  }
}
