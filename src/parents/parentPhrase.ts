/** Words that already say who the contact is to the child: "小明妈妈" needs no "家长" in front. */
const RELATION = /(家长|妈妈|爸爸|母亲|父亲|奶奶|爷爷|外婆|外公|姥姥|姥爷)$/;

/**
 * A parent as a sentence names them: "家长李雷", but "小明妈妈" or "家长王五" as they are (never "家长家长王五"),
 * and a parent whose name was never synced from WeCom as "一位未同步姓名的家长" (never their external_userid).
 */
export function parentPhrase(name: string | undefined): string {
  const trimmed = name?.trim();
  if (!trimmed) return "一位未同步姓名的家长";
  return trimmed.startsWith("家长") || RELATION.test(trimmed) ? trimmed : `家长${trimmed}`;
}
