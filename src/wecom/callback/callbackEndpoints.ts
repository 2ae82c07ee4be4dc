/**
 * Every callback URL a company may configure, each with its own Token and EncodingAESKey. WeCom lets each
 * app that receives events set its own 接收事件服务器 (URL, Token, EncodingAESKey; Tencent path/90930 回调配置):
 * our self-built app, 通讯录同步 (contacts), 客户联系 (customer contact) and 会话存档 (chat archive) can each
 * have a different pair. Each URL verifies only with its own pair, so a pair configured on the wrong URL is
 * caught and named instead of silently accepted.
 */
export interface CallbackKeyPair {
  token: string;
  encodingAesKey: string;
}

export interface CallbackEndpoint extends CallbackKeyPair {
  /** "app" for the primary URL, otherwise the name given in WECOM_CALLBACK_KEYS. */
  name: string;
  path: string;
  /** Where the pair is configured, for a log line that says what to align. */
  setting: string;
}

export const PRIMARY_CALLBACK_PATH = "/wecom/callback";

const namePattern = /^[a-z][a-z0-9_-]{0,31}$/;
// Token: 英文或数字, at most 32 characters; EncodingAESKey: 43 letters and digits (path/90930).
const tokenPattern = /^[A-Za-z0-9]{1,32}$/;
const aesKeyPattern = /^[A-Za-z0-9]{43}$/;

/**
 * Parses WECOM_CALLBACK_KEYS: a JSON object {"<name>": {"token": "…", "encodingAesKey": "…"}}, each served
 * at /wecom/callback/<name>. Throws a message naming the entry and what is wrong.
 */
export function parseExtraCallbackKeys(json: string | undefined): Array<CallbackKeyPair & { name: string }> {
  if (json === undefined || json.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('must be a JSON object {"<name>": {"token": "…", "encodingAesKey": "…"}}');
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error('must be a JSON object {"<name>": {"token": "…", "encodingAesKey": "…"}}');
  }
  return Object.entries(parsed as Record<string, unknown>).map(([name, value]) => {
    if (!namePattern.test(name) || name === "app") throw new Error(`"${name}": a name is lower-case letters, digits, - or _ (not "app"); it becomes /wecom/callback/<name>`);
    const pair = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof pair.token !== "string" || !tokenPattern.test(pair.token)) throw new Error(`"${name}".token must be the Token from WeCom's admin console (letters and digits, at most 32)`);
    if (typeof pair.encodingAesKey !== "string" || !aesKeyPattern.test(pair.encodingAesKey)) {
      throw new Error(`"${name}".encodingAesKey must be the 43-character EncodingAESKey from WeCom's admin console`);
    }
    return { name, token: pair.token, encodingAesKey: pair.encodingAesKey };
  });
}

/** The primary URL with WECOM_TOKEN / WECOM_ENCODING_AES_KEY, then one URL per extra pair. */
export function callbackEndpoints(primary: CallbackKeyPair, extraKeysJson: string | undefined): CallbackEndpoint[] {
  return [
    { name: "app", path: PRIMARY_CALLBACK_PATH, setting: "WECOM_TOKEN / WECOM_ENCODING_AES_KEY", ...primary },
    ...parseExtraCallbackKeys(extraKeysJson).map((pair) => ({
      ...pair,
      path: `${PRIMARY_CALLBACK_PATH}/${pair.name}`,
      setting: `WECOM_CALLBACK_KEYS.${pair.name}`,
    })),
  ];
}
