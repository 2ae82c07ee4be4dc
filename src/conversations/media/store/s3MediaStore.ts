import { createHash } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { assertMediaAddress, checkedObject, type MediaStore } from "./mediaStore";

export interface S3MediaStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO: http://minio:9000); absent = AWS S3 itself. */
  endpoint?: string;
  /** MinIO and most S3-compatible servers want path-style URLs (http://host/bucket/key), not bucket.host. */
  forcePathStyle: boolean;
  /** Absent = the SDK's default chain (environment, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Key prefix inside the bucket, e.g. "media/". */
  prefix: string;
}

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO), through the AWS SDK v3
 * client: SigV4 signing, retries with backoff and connection reuse are the
 * SDK's, which every S3-compatible server is tested against.
 *
 * Each put carries Content-MD5, so the server refuses a body damaged on the
 * way (BadDigest) instead of storing it; each get is checked against the
 * address. The SDK's newer default CRC checksums are asked only where the
 * operation requires them: older S3-compatible servers reject the extra
 * headers, and the two checks above already cover both directions.
 */
export class S3MediaStore implements MediaStore {
  readonly description: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3MediaStoreOptions) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    });
    this.description = `s3 bucket ${options.bucket}${options.endpoint ? ` at ${options.endpoint}` : ` in ${options.region}`}`;
  }

  private keyOf(address: string): string {
    assertMediaAddress(address);
    return `${this.options.prefix}${address}`;
  }

  async put(address: string, data: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.keyOf(address),
        Body: data,
        ContentLength: data.length,
        ContentMD5: createHash("md5").update(data).digest("base64"),
        ContentType: "application/octet-stream",
      }),
    );
  }

  async get(address: string): Promise<Buffer | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(address) }));
      if (!answer.Body) throw new Error(`s3 GetObject of ${address} returned no body`);
      return checkedObject(address, Buffer.from(await answer.Body.transformToByteArray()), this.description);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(address: string): Promise<void> {
    // S3 answers 204 whether or not the key existed: deleting twice is fine.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(address) }));
  }

  close(): void {
    this.client.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  // A missing bucket is a configuration fault, not a missing object.
  return err instanceof S3ServiceException && err.name !== "NoSuchBucket" && (err.name === "NoSuchKey" || err.$metadata.httpStatusCode === 404);
}
