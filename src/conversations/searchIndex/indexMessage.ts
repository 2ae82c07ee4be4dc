import type { MessageContent } from "../../wecom";
import { messageText } from "../presenters/messageText";
import { normalizeText } from "./normalizeText";
import type { SearchIndexKeys } from "./searchIndexKeys";
import { documentTokens } from "./tokenize";

export interface MessageIndexEntry {
  tokens: number[];
  keyId: string;
}

/** The blind-index entry of one message under the active key: what search matches, as keyed integers only. */
export function indexMessage(keys: SearchIndexKeys, content: MessageContent): MessageIndexEntry {
  return { tokens: keys.hashAll(keys.activeKeyId, documentTokens(normalizeText(messageText(content)))), keyId: keys.activeKeyId };
}
