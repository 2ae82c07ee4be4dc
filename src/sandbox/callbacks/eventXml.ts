/** A field of a WeCom event: text goes in CDATA, numbers (bigint for 19-digit ids) bare, nested lists become child elements. */
export type XmlValue = string | number | bigint | XmlField[];
export type XmlField = [name: string, value: XmlValue];

function cdata(text: string): string {
  // "]]>" cannot appear inside one CDATA section; split it across two.
  return `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}

function element([name, value]: XmlField): string {
  if (typeof value === "number" || typeof value === "bigint") return `<${name}>${value}</${name}>`;
  if (typeof value === "string") return `<${name}>${cdata(value)}</${name}>`;
  return `<${name}>${value.map(element).join("")}</${name}>`;
}

/** The decrypted event body, one element per line like Tencent's samples. */
export function eventXml(fields: XmlField[]): string {
  return `<xml>${fields.map(element).join("\n")}\n</xml>`;
}

/** The POSTed envelope around the encrypted event. */
export function envelopeXml(corpId: string, agentId: number, encrypted: string): string {
  return `<xml><ToUserName>${cdata(corpId)}</ToUserName><AgentID>${cdata(String(agentId))}</AgentID><Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
}
