import { sha256Hex } from "../../dossier";
import { signatureEvidence, type SignatureEvidence, type SignatureSchema } from "../rules/noticeDocument";
import type { DecodedSignature } from "./signatureImage";

/** The device the mini-program reports (wx.getDeviceInfo / getAppBaseInfo), plus what the request itself shows. */
export interface SigningDevice {
  model?: string;
  system?: string;
  platform?: string;
  version?: string;
  userAgent?: string;
  ip?: string;
}

/**
 * The evidence of one e-signature (ESL 13), the same for every document the service has signed: the
 * document's hash, the signature image's hash, the typed name, the WeCom identity of the session, the server
 * time and the device. The resignation notice and the onboarding work-account rules both sign through here.
 */
export function evidenceOfSigning(
  schema: SignatureSchema,
  documentHash: string,
  signature: DecodedSignature,
  signerUserid: string,
  now: Date,
  device: SigningDevice,
): SignatureEvidence {
  return signatureEvidence({
    schema,
    documentHash,
    signatureImageSha256: sha256Hex(signature.image),
    typedName: signature.typedName,
    wecomUserId: signerUserid,
    serverTime: now,
    device: {
      userAgent: device.userAgent,
      platform: [device.platform, device.system, device.model, device.version && `WeCom ${device.version}`].filter(Boolean).join("; ") || undefined,
      ip: device.ip,
    },
  });
}
