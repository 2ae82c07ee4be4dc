import path from "node:path";
import type { Config } from "../../../platform/config";
import { FsMediaStore } from "./fsMediaStore";
import type { MediaStore } from "./mediaStore";
import { S3MediaStore } from "./s3MediaStore";

/** The data folder's media/ (beside the embedded database's folder, like the sandbox secrets). */
export const defaultMediaDir = (config: Pick<Config, "EMBEDDED_PG_DIR">): string => path.join(path.dirname(path.resolve(config.EMBEDDED_PG_DIR)), "media");

/** The configured store; config validation has already refused a half-set S3 store. */
export function mediaStoreFromConfig(config: Config): MediaStore {
  if (config.MEDIA_STORE === "fs") return new FsMediaStore(config.MEDIA_DIR ?? defaultMediaDir(config));
  if (!config.MEDIA_S3_BUCKET || !config.MEDIA_S3_REGION) throw new Error("MEDIA_STORE=s3 needs MEDIA_S3_BUCKET and MEDIA_S3_REGION");
  return new S3MediaStore({
    bucket: config.MEDIA_S3_BUCKET,
    region: config.MEDIA_S3_REGION,
    endpoint: config.MEDIA_S3_ENDPOINT,
    forcePathStyle: config.MEDIA_S3_FORCE_PATH_STYLE,
    credentials:
      config.MEDIA_S3_ACCESS_KEY_ID && config.MEDIA_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID, secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY }
        : undefined,
    prefix: config.MEDIA_S3_PREFIX,
  });
}
