/** Return codes of the native Finance SDK, from WeWorkFinanceSdk_C.h. */
const sdkErrors: Record<number, string> = {
  10000: "invalid parameters",
  10001: "network error",
  10002: "data parse failure",
  10003: "system failure",
  10004: "encryption failed because of a wrong key",
  10005: "invalid fileid",
  10006: "decryption failed",
  10007: "no private key for this message's publickey_ver: upload the key pair again",
  10008: "cannot parse encrypt_key",
  10009: "IP not whitelisted",
  10010: "data expired",
  10011: "certificate error",
};

/** A failed SDK (or sandbox feed) call. `code` is the SDK return code or the errcode in the returned JSON. */
export class FinanceSdkError extends Error {
  constructor(
    readonly code: number,
    readonly operation: string,
    detail?: string,
  ) {
    super(`${operation} failed with ${code}: ${detail ?? sdkErrors[code] ?? "unknown error"}`);
    this.name = "FinanceSdkError";
  }
}
