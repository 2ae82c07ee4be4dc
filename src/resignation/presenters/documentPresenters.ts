import type { ItemRow, SignatureRow } from "../store/checklistStore";
import type { NoticeRow } from "../store/noticeStore";
import type { ChecklistRole } from "../commands/checklist";

const ROLE_LABELS: Record<ChecklistRole, "移交人" | "接收人" | "监交人"> = { handover: "移交人", receiver: "接收人", supervisor: "监交人" };

/** MP_API.md `Notice`. */
export function presentNotice(notice: NoticeRow) {
  return {
    text: notice.document.text,
    sha256: notice.documentSha256,
    signed:
      notice.signedAt && notice.evidence
        ? {
            typedName: notice.evidence.typedName,
            signedAt: notice.signedAt.toISOString(),
            signatureSha256: notice.evidence.signatureImageSha256,
            documentSha256: notice.evidence.documentHash,
          }
        : null,
  };
}

/** MP_API.md `Checklist`. */
export function presentChecklist(items: ItemRow[], signatures: SignatureRow[], myRole: ChecklistRole | null) {
  const signedRoles = new Set(signatures.map((s) => s.role));
  return {
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      title: i.title,
      ...(i.note || i.detail.text ? { detail: i.note ?? i.detail.text } : {}),
      owner: i.owner,
      auto: i.auto,
      done: i.doneAt !== null,
      ...(i.doneAt ? { doneAt: i.doneAt.toISOString() } : {}),
      ...(i.doneBy ? { verifiedBy: i.doneBy } : {}),
    })),
    signatures: signatures.map((s) => ({ role: s.role, roleLabel: ROLE_LABELS[s.role], name: s.name, signedAt: s.signedAt.toISOString() })),
    myRole,
    complete: items.every((i) => i.doneAt !== null) && (["handover", "receiver", "supervisor"] as const).every((r) => signedRoles.has(r)),
  };
}

/**
 * Who has still to sign the handover, by name: the leaver (移交人), the
 * receiver and the supervisor set on the case ("待指定" while HR has set none).
 */
export function presentAwaitingSignatures(
  signatures: SignatureRow[],
  parties: Record<ChecklistRole, string | null>,
  names: Map<string, string>,
): { role: ChecklistRole; roleLabel: string; name: string }[] {
  const signed = new Set(signatures.map((s) => s.role));
  return (["handover", "receiver", "supervisor"] as const)
    .filter((role) => !signed.has(role))
    .map((role) => {
      const userid = parties[role];
      return { role, roleLabel: ROLE_LABELS[role], name: userid ? (names.get(userid) ?? "（未同步姓名）") : "待指定" };
    });
}

export interface CertificateRow {
  fields: { employeeName: string; employerName: string; position: string; contractTerm: string; terminationDate: string; serviceLength: string; issueDate: string };
  text: string;
  sha256: string;
}

/** MP_API.md `Certificate`: only the lawful fields. */
export function presentCertificate(c: CertificateRow) {
  return {
    text: c.text,
    fields: {
      employeeName: c.fields.employeeName,
      employer: c.fields.employerName,
      position: c.fields.position,
      contractTerm: c.fields.contractTerm,
      terminationDate: c.fields.terminationDate,
      yearsOfService: c.fields.serviceLength,
      issueDate: c.fields.issueDate,
    },
    sha256: c.sha256,
  };
}
