import koffi, { type LibraryHandle, type TypeObject } from "koffi";
import type { ArchiveSource, ChatDataPage, MediaChunk } from "./archiveSource";
import { MAX_CHAT_DATA_LIMIT } from "./archiveSource";
import { FinanceSdkError } from "./financeSdkError";
import { parseChatDataReply } from "./chatDataReply";

export interface FinanceSdkOptions {
  /** Path to libWeWorkFinanceSdk_C.so (WECOM_FINANCE_SDK_PATH). */
  libraryPath: string;
  corpId: string;
  secret: string;
  /** e.g. socks5://10.0.0.1:8081 when the whitelisted egress is a proxy. */
  proxy?: string;
  proxyPassword?: string;
}

type Pointer = unknown;
type Callback<T> = (err: unknown, result: T) => void;

/** The C API of WeWorkFinanceSdk_C.h, bound one to one. */
interface FinanceSdkBinding {
  NewSdk(): Pointer;
  Init(sdk: Pointer, corpid: string, secret: string): number;
  GetChatData: {
    async(sdk: Pointer, seq: number, limit: number, proxy: string, passwd: string, timeout: number, slice: Pointer, cb: Callback<number>): void;
  };
  DecryptData(encryptKey: string, encryptMsg: string, slice: Pointer): number;
  GetMediaData: {
    async(sdk: Pointer, indexbuf: string, sdkFileid: string, proxy: string, passwd: string, timeout: number, media: Pointer, cb: Callback<number>): void;
  };
  DestroySdk(sdk: Pointer): void;
  NewSlice(): Pointer;
  FreeSlice(slice: Pointer): void;
  GetContentFromSlice(slice: Pointer): Pointer;
  GetSliceLen(slice: Pointer): number;
  NewMediaData(): Pointer;
  FreeMediaData(media: Pointer): void;
  GetOutIndexBuf(media: Pointer): Pointer;
  GetData(media: Pointer): Pointer;
  GetIndexLen(media: Pointer): number;
  GetDataLen(media: Pointer): number;
  IsMediaDataFinish(media: Pointer): number;
}

// Opaque handles: Slice_t and MediaData_t are read only through the SDK's own accessors
// (GetContentFromSlice, GetData, ...), so a layout change in the SDK cannot break us.
// Anonymous types: koffi's type names are process-wide, and this module may be loaded more than once.
const SdkHandle = koffi.pointer(koffi.opaque());
const SliceHandle = koffi.pointer(koffi.opaque());
const MediaHandle = koffi.pointer(koffi.opaque());

function bind(libraryPath: string): { lib: LibraryHandle; api: FinanceSdkBinding } {
  const lib = koffi.load(libraryPath);
  const fn = (name: string, result: TypeObject | string, args: Array<TypeObject | string>) => lib.func(name, result, args);
  const api = {
    NewSdk: fn("NewSdk", SdkHandle, []),
    Init: fn("Init", "int", [SdkHandle, "const char *", "const char *"]),
    GetChatData: fn("GetChatData", "int", [SdkHandle, "unsigned long long", "unsigned int", "const char *", "const char *", "int", SliceHandle]),
    DecryptData: fn("DecryptData", "int", ["const char *", "const char *", SliceHandle]),
    GetMediaData: fn("GetMediaData", "int", [SdkHandle, "const char *", "const char *", "const char *", "const char *", "int", MediaHandle]),
    DestroySdk: fn("DestroySdk", "void", [SdkHandle]),
    NewSlice: fn("NewSlice", SliceHandle, []),
    FreeSlice: fn("FreeSlice", "void", [SliceHandle]),
    GetContentFromSlice: fn("GetContentFromSlice", "void *", [SliceHandle]),
    GetSliceLen: fn("GetSliceLen", "int", [SliceHandle]),
    NewMediaData: fn("NewMediaData", MediaHandle, []),
    FreeMediaData: fn("FreeMediaData", "void", [MediaHandle]),
    GetOutIndexBuf: fn("GetOutIndexBuf", "void *", [MediaHandle]),
    GetData: fn("GetData", "void *", [MediaHandle]),
    GetIndexLen: fn("GetIndexLen", "int", [MediaHandle]),
    GetDataLen: fn("GetDataLen", "int", [MediaHandle]),
    IsMediaDataFinish: fn("IsMediaDataFinish", "int", [MediaHandle]),
  } as unknown as FinanceSdkBinding;
  return { lib, api };
}

/** Copy `length` bytes out of SDK-owned memory before the owner is freed. */
function copyOut(pointer: Pointer, length: number): Buffer {
  if (pointer === null || length <= 0) return Buffer.alloc(0);
  return Buffer.from(new Uint8Array(koffi.view(pointer, length)));
}

/**
 * Tencent's native Finance SDK loaded at run time through koffi (there is no
 * npm wrapper we can use, and no HTTP API for archived messages).
 *
 * Blocking: GetChatData and GetMediaData do network I/O inside the SDK for up
 * to `timeout` seconds, so they run through koffi's `.async` (a worker thread)
 * and never block the event loop. Calls are serialised per SDK handle because
 * the SDK does not document thread safety. DecryptData is local and fast, so
 * it is called synchronously.
 */
export class FinanceSdkSource implements ArchiveSource {
  private readonly lib: LibraryHandle;
  private readonly api: FinanceSdkBinding;
  private sdk: Pointer;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * No proxy is "", never NULL: Tencent's own sample passes its argv strings
   * for proxy and passwd and an empty std::string's c_str() as the first
   * indexbuf ("单个文件首次拉取填写的indexbuf为空字符串"), and the Go wrapper
   * passes C.CString("") (silenceper/wechat work/msgaudit/lib/tool_testSdk.cpp,
   * work/msgaudit/client_linux.go). The SDK is not documented to accept NULL
   * there, so we never rely on it.
   */
  private readonly proxy: string;
  private readonly proxyPassword: string;

  constructor(options: FinanceSdkOptions) {
    this.proxy = options.proxy ?? "";
    this.proxyPassword = options.proxyPassword ?? "";
    ({ lib: this.lib, api: this.api } = bind(options.libraryPath));
    this.sdk = this.api.NewSdk();
    const ret = this.api.Init(this.sdk, options.corpId, options.secret);
    if (ret !== 0) {
      this.api.DestroySdk(this.sdk);
      this.lib.unload();
      throw new FinanceSdkError(ret, "Init");
    }
  }

  getChatData(seq: number, limit: number, timeoutSec: number): Promise<ChatDataPage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHAT_DATA_LIMIT) {
      return Promise.reject(new FinanceSdkError(10000, "GetChatData", `limit must be 1..${MAX_CHAT_DATA_LIMIT}`));
    }
    return this.serialised(async () => {
      const slice = this.api.NewSlice();
      try {
        const ret = await new Promise<number>((resolve, reject) =>
          this.api.GetChatData.async(this.live(), seq, limit, this.proxy, this.proxyPassword, timeoutSec, slice, (err, r) => (err ? reject(err) : resolve(r))),
        );
        if (ret !== 0) throw new FinanceSdkError(ret, "GetChatData");
        return parseChatDataReply(this.sliceText(slice), "GetChatData");
      } finally {
        this.api.FreeSlice(slice);
      }
    });
  }

  decryptData(randomKey: string, encryptChatMsg: string): string {
    const slice = this.api.NewSlice();
    try {
      const ret = this.api.DecryptData(randomKey, encryptChatMsg, slice);
      if (ret !== 0) throw new FinanceSdkError(ret, "DecryptData");
      return this.sliceText(slice);
    } finally {
      this.api.FreeSlice(slice);
    }
  }

  getMediaData(sdkfileid: string, indexbuf: string, timeoutSec = 10): Promise<MediaChunk> {
    return this.serialised(async () => {
      const media = this.api.NewMediaData();
      try {
        const ret = await new Promise<number>((resolve, reject) =>
          // The first chunk's indexbuf is "" (not NULL), later ones the previous outindexbuf.
          this.api.GetMediaData.async(this.live(), indexbuf, sdkfileid, this.proxy, this.proxyPassword, timeoutSec, media, (err, r) => (err ? reject(err) : resolve(r))),
        );
        if (ret !== 0) throw new FinanceSdkError(ret, "GetMediaData");
        return {
          data: copyOut(this.api.GetData(media), this.api.GetDataLen(media)),
          outIndexBuf: copyOut(this.api.GetOutIndexBuf(media), this.api.GetIndexLen(media)).toString("utf8"),
          isFinish: this.api.IsMediaDataFinish(media) === 1,
        };
      } finally {
        this.api.FreeMediaData(media);
      }
    });
  }

  async close(): Promise<void> {
    if (this.sdk === null) return;
    await this.queue.catch(() => undefined);
    this.api.DestroySdk(this.sdk);
    this.sdk = null;
    this.lib.unload();
  }

  private live(): Pointer {
    if (this.sdk === null) throw new FinanceSdkError(10000, "FinanceSdk", "the SDK handle was closed");
    return this.sdk;
  }

  private sliceText(slice: Pointer): string {
    return copyOut(this.api.GetContentFromSlice(slice), this.api.GetSliceLen(slice)).toString("utf8");
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
