/*
 * Stand-in for Tencent's libWeWorkFinanceSdk_C.so, for tests only.
 *
 * Same exported functions and signatures as WeWorkFinanceSdk_C.h (silenceper/wechat
 * work/msgaudit/lib/WeWorkFinanceSdk_C.h), so the koffi binding in
 * src/wecom/archive/financeSdkSource.ts is exercised for real: library loading,
 * opaque handles, out-structs, unsigned long long seq, async calls, slice/media accessors
 * and freeing.
 *
 * As strict as the real library is entitled to be:
 *  - NULL is refused (10000, 参数错误) for every string argument: corpid, secret, proxy,
 *    passwd, indexbuf, sdkfileid, encrypt_key, encrypt_msg. Tencent's sample passes its
 *    argv strings and an empty std::string's c_str() for the first indexbuf
 *    (work/msgaudit/lib/tool_testSdk.cpp: "单个文件首次拉取填写的indexbuf为空字符串"), and the
 *    Go wrapper passes C.CString("") (work/msgaudit/client_linux.go): no caller of the real
 *    SDK is known to pass NULL, so nothing says it survives one.
 *  - The crypto contract is the real one: GetChatData serves records whose
 *    encrypt_random_key is RSA-encrypted (PKCS#1 v1.5) with the company's public key, so
 *    the caller must RSA-decrypt it with the private key of publickey_ver; DecryptData
 *    takes that decrypted random key (header: "使用企业自持对应版本秘钥RSA解密后的内容")
 *    and AES-decrypts encrypt_chat_msg. WeCom's own cipher is undocumented; the stand-in
 *    uses AES-256-GCM with the 32 key bytes, base64(iv(12) || ciphertext || tag(16)), the
 *    same format as the sandbox feed (src/wecom/archive/sandboxChatCipher.ts). A
 *    key that is not 32 bytes (e.g. the still-encrypted base64 key) is 10008 (解析
 *    encrypt_key出错); a wrong key or altered ciphertext fails authentication: 10006.
 *
 * What it serves:
 *  - GetChatData: records from a JSON-lines file (one chatdata object per line,
 *    ascending seq) named by Init's corpid when it contains a '/', else by the
 *    FAKE_FINANCE_SDK_DATA environment variable (jest sandboxes process.env,
 *    so tests use the corpid), those with seq > the given
 *    seq, at most `limit`, wrapped as {"errcode":0,"errmsg":"ok","chatdata":[...]}.
 *  - GetMediaData: sdkfileid "size:N" is N bytes, byte i = (i*131+7) & 0xff, in chunks of
 *    512 KB; indexbuf is "" for the first chunk, then the previous outindexbuf, shaped
 *    like the real one: "Range:bytes=START-END".
 *
 * Error codes (values and meanings from the real header):
 *  NULL argument, Init with empty corpid/secret, limit 0 or > 1000 → 10000;
 *  secret ≠ FAKE_FINANCE_SDK_SECRET (default "stand-in-secret") → 10004 on
 *  GetChatData; unreadable data file → 10001; key not 32 bytes → 10008;
 *  undecodable or unauthenticated ciphertext → 10006; unknown sdkfileid or malformed
 *  indexbuf → 10005.
 *
 * FakeFinanceSdk_LiveObjects() (not in the real SDK) counts slices, media
 * objects and sdk handles not yet freed, so tests can prove nothing leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

typedef struct WeWorkFinanceSdk_t {
    int initialised;
    char corpid[1024];
    char secret[256];
} WeWorkFinanceSdk_t;

typedef struct Slice_t {
    char* buf;
    int len;
} Slice_t;

typedef struct MediaData {
    char* outindexbuf;
    int out_len;
    char* data;
    int data_len;
    int is_finish;
} MediaData_t;

#define CHUNK (512 * 1024)

static int live_objects = 0;

int FakeFinanceSdk_LiveObjects(void) { return live_objects; }

static void set_bytes(char** dst, int* dst_len, const char* src, int len) {
    free(*dst);
    *dst = malloc((size_t)len + 1);
    memcpy(*dst, src, (size_t)len);
    (*dst)[len] = '\0';
    *dst_len = len;
}

typedef struct {
    char* data;
    size_t len;
    size_t cap;
} Buf;

static void buf_append(Buf* b, const char* s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

WeWorkFinanceSdk_t* NewSdk(void) {
    live_objects++;
    return calloc(1, sizeof(WeWorkFinanceSdk_t));
}

int Init(WeWorkFinanceSdk_t* sdk, const char* corpid, const char* secret) {
    if (!sdk || !corpid || !secret || !*corpid || !*secret) return 10000;
    if (strlen(corpid) >= sizeof(sdk->corpid) || strlen(secret) >= sizeof(sdk->secret)) return 10000;
    strcpy(sdk->corpid, corpid);
    strcpy(sdk->secret, secret);
    sdk->initialised = 1;
    return 0;
}

static const char* expected_secret(void) {
    const char* s = getenv("FAKE_FINANCE_SDK_SECRET");
    return s ? s : "stand-in-secret";
}

int GetChatData(WeWorkFinanceSdk_t* sdk, unsigned long long seq, unsigned int limit, const char* proxy,
                const char* passwd, int timeout, Slice_t* chatDatas) {
    (void)timeout;
    if (!sdk || !sdk->initialised || !proxy || !passwd || !chatDatas || limit == 0 || limit > 1000) return 10000;
    if (strcmp(sdk->secret, expected_secret()) != 0) return 10004;
    const char* path = strchr(sdk->corpid, '/') ? sdk->corpid : getenv("FAKE_FINANCE_SDK_DATA");
    FILE* f = path ? fopen(path, "r") : NULL;
    if (!f) return 10001;
    Buf out = {0};
    const char* head = "{\"errcode\":0,\"errmsg\":\"ok\",\"chatdata\":[";
    buf_append(&out, head, strlen(head));
    char* line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned int count = 0;
    while (count < limit && (n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        const char* at = strstr(line, "\"seq\":");
        if (!at) continue;
        unsigned long long line_seq = strtoull(at + 6, NULL, 10);
        if (line_seq <= seq) continue;
        if (count > 0) buf_append(&out, ",", 1);
        buf_append(&out, line, (size_t)n);
        count++;
    }
    free(line);
    fclose(f);
    buf_append(&out, "]}", 2);
    set_bytes(&chatDatas->buf, &chatDatas->len, out.data, (int)out.len);
    free(out.data);
    return 0;
}

static int b64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Returns the decoded length, or -1 when the input is not base64. */
static int b64_decode(const char* in, unsigned char* out) {
    int len = 0, bits = 0;
    unsigned int acc = 0;
    for (const char* p = in; *p && *p != '='; p++) {
        int v = b64_value(*p);
        if (v < 0) return -1;
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[len++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    return len;
}

#define IV_BYTES 12
#define TAG_BYTES 16

int DecryptData(const char* encrypt_key, const char* encrypt_msg, Slice_t* msg) {
    if (!encrypt_key || !encrypt_msg || !msg) return 10000;
    if (strlen(encrypt_key) != 32) return 10008;
    unsigned char* data = malloc(strlen(encrypt_msg) + 1);
    int len = b64_decode(encrypt_msg, data);
    if (len < IV_BYTES + TAG_BYTES + 1) {
        free(data);
        return 10006;
    }
    int body_len = len - IV_BYTES - TAG_BYTES;
    unsigned char* plain = malloc((size_t)body_len + 1);
    int out_len = 0, final_len = 0, ok = 0;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, IV_BYTES, NULL) == 1 &&
        EVP_DecryptInit_ex(ctx, NULL, NULL, (const unsigned char*)encrypt_key, data) == 1 &&
        EVP_DecryptUpdate(ctx, plain, &out_len, data + IV_BYTES, body_len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, data + IV_BYTES + body_len) == 1 &&
        EVP_DecryptFinal_ex(ctx, plain + out_len, &final_len) == 1) {
        ok = 1;
    }
    EVP_CIPHER_CTX_free(ctx);
    free(data);
    if (!ok) {
        free(plain);
        return 10006;
    }
    set_bytes(&msg->buf, &msg->len, (const char*)plain, out_len + final_len);
    free(plain);
    return 0;
}

int GetMediaData(WeWorkFinanceSdk_t* sdk, const char* indexbuf, const char* sdkFileid, const char* proxy,
                 const char* passwd, int timeout, MediaData_t* media_data) {
    (void)timeout;
    if (!sdk || !sdk->initialised || !indexbuf || !sdkFileid || !proxy || !passwd || !media_data) return 10000;
    if (strncmp(sdkFileid, "size:", 5) != 0) return 10005;
    long total = atol(sdkFileid + 5);
    long offset = 0;
    if (*indexbuf) {
        long last = 0;
        if (sscanf(indexbuf, "Range:bytes=%ld-%ld", &offset, &last) != 2) return 10005;
    }
    if (total <= 0 || offset < 0 || offset > total) return 10005;
    long end = offset + CHUNK < total ? offset + CHUNK : total;
    char* chunk = malloc((size_t)(end - offset) + 1);
    for (long i = offset; i < end; i++) chunk[i - offset] = (char)((i * 131 + 7) & 0xff);
    set_bytes(&media_data->data, &media_data->data_len, chunk, (int)(end - offset));
    free(chunk);
    /* The next chunk's range, as the real SDK's outindexbuf names it. */
    char index[64];
    long next_end = end + CHUNK < total ? end + CHUNK - 1 : total - 1;
    int index_len = snprintf(index, sizeof index, "Range:bytes=%ld-%ld", end, next_end);
    set_bytes(&media_data->outindexbuf, &media_data->out_len, index, index_len);
    media_data->is_finish = end >= total;
    return 0;
}

void DestroySdk(WeWorkFinanceSdk_t* sdk) {
    if (!sdk) return;
    live_objects--;
    free(sdk);
}

Slice_t* NewSlice(void) {
    live_objects++;
    return calloc(1, sizeof(Slice_t));
}

void FreeSlice(Slice_t* slice) {
    if (!slice) return;
    live_objects--;
    free(slice->buf);
    free(slice);
}

char* GetContentFromSlice(Slice_t* slice) { return slice ? slice->buf : NULL; }
int GetSliceLen(Slice_t* slice) { return slice ? slice->len : 0; }

MediaData_t* NewMediaData(void) {
    live_objects++;
    return calloc(1, sizeof(MediaData_t));
}

void FreeMediaData(MediaData_t* media_data) {
    if (!media_data) return;
    live_objects--;
    free(media_data->outindexbuf);
    free(media_data->data);
    free(media_data);
}

char* GetOutIndexBuf(MediaData_t* media_data) { return media_data->outindexbuf; }
char* GetData(MediaData_t* media_data) { return media_data->data; }
int GetIndexLen(MediaData_t* media_data) { return media_data->out_len; }
int GetDataLen(MediaData_t* media_data) { return media_data->data_len; }
int IsMediaDataFinish(MediaData_t* media_data) { return media_data->is_finish; }
