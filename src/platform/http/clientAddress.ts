import { BlockList, isIP } from "node:net";

/**
 * Which X-Forwarded-For entries to believe (TRUST_PROXY). Off by default:
 * anyone can send the header, so without a proxy we know of it is ignored and
 * the client is the socket's peer.
 * - hops: exactly this many reverse proxies sit in front of the service; the
 *   client is the address the outermost one saw.
 * - cidrs: peers in these ranges are our proxies; walk back from the socket
 *   through them, the first address outside is the client.
 */
export type ProxyTrust = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "cidrs"; ranges: string[]; list: BlockList };

export class ProxyTrustError extends Error {}

/** "" / "false" / "0" = off, a number = hop count, else comma-separated CIDRs (or single addresses). */
export function parseTrustProxy(value: string | undefined): ProxyTrust {
  const text = (value ?? "").trim();
  if (text === "" || text === "false" || text === "0") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new ProxyTrustError("must be a hop count from 1 to 10, or a list of CIDRs");
    return { kind: "hops", hops };
  }
  const list = new BlockList();
  const ranges = text.split(",").map((r) => r.trim()).filter(Boolean);
  for (const range of ranges) {
    const [address, bits] = range.split("/");
    const family = isIP(address ?? "");
    if (family === 0) throw new ProxyTrustError(`"${range}" is not an IP address or CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new ProxyTrustError(`"${range}" has an invalid prefix length`);
    list.addSubnet(address!, prefix, type);
  }
  return { kind: "cidrs", ranges, list };
}

/** ::ffff:10.0.0.1 (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The client's address given the socket's peer and the X-Forwarded-For header, believing only what TRUST_PROXY allows. */
export function clientAddress(trust: ProxyTrust, peer: string, forwardedFor: string | undefined): string {
  const socket = normalize(peer);
  if (trust.kind === "none" || !forwardedFor) return socket;
  const chain = [...forwardedFor.split(",").map(normalize).filter((a) => isIP(a) !== 0), socket];
  if (trust.kind === "hops") return chain[Math.max(0, chain.length - 1 - trust.hops)]!;
  let i = chain.length - 1;
  while (i > 0 && trusted(trust.list, chain[i]!)) i--;
  return chain[i]!;
}
