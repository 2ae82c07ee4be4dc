import { ApiError, MESSAGES } from "../services/apiError";

/** The sentence to show for any failure: the client's Chinese message, or a calm generic one. */
export function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : MESSAGES.generic;
}

/** Field messages from a server 400, keyed by field name. */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  return err instanceof ApiError ? err.fieldErrors() : {};
}

export function toastSuccess(title: string): void {
  wx.showToast({ title, icon: "success", duration: 1500 });
}
