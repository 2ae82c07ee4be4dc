import { ValidationError } from "../../platform/errors";

export interface DecodedSignature {
  typedName: string;
  image: Buffer;
}

const MAX_DATA_URL_CHARS = 300 * 1024;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The handwritten signature as PNG bytes; anything that is not a PNG data URL within 300 KB is refused. */
export function decodeSignature(typedName: string, dataUrl: string, confirm: boolean): DecodedSignature {
  if (confirm !== true) throw new ValidationError("请勾选确认后再签署", [{ path: "confirm", message: "must be true" }]);
  if (dataUrl.length > MAX_DATA_URL_CHARS) throw new ValidationError("签名图片过大", [{ path: "signatureImage", message: "at most 300 KB" }]);
  const match = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl);
  const image = match ? Buffer.from(match[1], "base64") : Buffer.alloc(0);
  if (image.length < PNG_MAGIC.length || !image.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) {
    throw new ValidationError("签名图片无效", [{ path: "signatureImage", message: "must be a PNG data URL" }]);
  }
  return { typedName: typedName.trim(), image };
}
