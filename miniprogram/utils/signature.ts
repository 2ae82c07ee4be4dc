/** Rules shared by every signing form (notice and checklist); the server checks them again. */

export const MAX_SIGNATURE_BYTES = 300 * 1024;
export const MAX_TYPED_NAME = 30;

/** Decoded size of a base64 data URL. */
export function dataUrlBytes(dataUrl: string): number {
  const base64 = dataUrl.slice(dataUrl.indexOf(",") + 1);
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

export interface SignatureForm {
  typedName: string;
  confirmed: boolean;
  hasInk: boolean;
}

export function validateSignatureForm(form: SignatureForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = form.typedName.trim();
  if (!name) errors.typedName = "请输入你的姓名";
  else if (name.length > MAX_TYPED_NAME) errors.typedName = `姓名不超过 ${MAX_TYPED_NAME} 个字`;
  if (!form.hasInk) errors.signatureImage = "请在签名区域手写签名";
  if (!form.confirmed) errors.confirm = "请勾选确认后再签署";
  return errors;
}

export function deviceInfo(): { model: string; system: string; platform: string; version: string } {
  const device = wx.getDeviceInfo();
  const app = wx.getAppBaseInfo();
  return { model: device.model, system: device.system, platform: device.platform, version: app.version };
}
