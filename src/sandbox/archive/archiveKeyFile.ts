import { createPublicKey } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChatArchive } from "./chatArchive";

export const SANDBOX_ARCHIVE_KEY_VERSION = 1;

/**
 * The sandbox's archive key pair survives restarts (the service decrypts
 * with it), so it is kept in a file beside the embedded database rather than
 * regenerated. Returns the private key PEM.
 */
export function loadOrCreateArchiveKey(archive: ChatArchive, dir: string): { file: string; privateKeyPem: string } {
  const file = path.join(dir, `archive-key-v${SANDBOX_ARCHIVE_KEY_VERSION}.pem`);
  if (existsSync(file)) {
    const privateKeyPem = readFileSync(file, "utf8");
    const publicKey = createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }).toString();
    archive.useKeyPair(SANDBOX_ARCHIVE_KEY_VERSION, publicKey, privateKeyPem);
    return { file, privateKeyPem };
  }
  mkdirSync(dir, { recursive: true });
  const privateKeyPem = archive.addKeyVersion(SANDBOX_ARCHIVE_KEY_VERSION);
  writeFileSync(file, privateKeyPem, { mode: 0o600 });
  return { file, privateKeyPem };
}
