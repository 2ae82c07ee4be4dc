import type { EntityManager } from "typeorm";
import type { NoticeDocument, SignatureEvidence } from "../rules/noticeDocument";
import { noticeHash } from "../rules/noticeDocument";

export interface NoticeRow {
  document: NoticeDocument;
  documentSha256: string;
  signedAt: Date | null;
  signatureImage: Buffer | null;
  evidence: SignatureEvidence["record"] | null;
  evidenceSha256: string | null;
}

/** Writes the unsigned notice; replacing it is allowed only until it is signed (the table's trigger enforces that). */
export async function saveUnsignedNotice(manager: EntityManager, caseId: string, document: NoticeDocument): Promise<void> {
  await manager.query(
    `INSERT INTO resignation_notice (case_id, document, document_sha256) VALUES ($1, $2, $3)
     ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document, document_sha256 = EXCLUDED.document_sha256`,
    [caseId, JSON.stringify(document), noticeHash(document)],
  );
}

export async function loadNotice(manager: EntityManager, caseId: string): Promise<NoticeRow | null> {
  const rows = await manager.query(
    `SELECT document, document_sha256, signed_at, signature_image, evidence, evidence_sha256 FROM resignation_notice WHERE case_id = $1`,
    [caseId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    document: r.document,
    documentSha256: r.document_sha256,
    signedAt: r.signed_at,
    signatureImage: r.signature_image,
    evidence: r.evidence,
    evidenceSha256: r.evidence_sha256,
  };
}

export async function saveSignature(manager: EntityManager, caseId: string, image: Buffer, evidence: SignatureEvidence): Promise<void> {
  await manager.query(
    `UPDATE resignation_notice SET signed_at = $2, signature_image = $3, evidence = $4, evidence_sha256 = $5 WHERE case_id = $1 AND signed_at IS NULL`,
    [caseId, new Date(evidence.record.serverTime), image, evidence.canonical, evidence.hash],
  );
}
