/**
 * The evidence dossier: canonical JSON, the hash chain, its store and its exports.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { canonicalHash, canonicalJson, sha256Hex } from "./canonicalJson";
export type { JsonValue } from "./canonicalJson";
export { exportDossierJson, renderDossierMarkdown } from "./dossierExport";
export { appendDossier, loadDossier } from "./dossierStore";
export { verifyChain } from "./hashChain";
export type { DossierActor, DossierEntry } from "./hashChain";
