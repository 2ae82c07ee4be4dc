/**
 * The only place that speaks WeCom: the HTTP client (one class per API area), callback crypto and
 * XML, the durable inbox and typed event dispatch, the chat archive's Finance SDK, web login URLs.
 *
 * The public interface of this capability: other capabilities import from here only
 * (test/architecture/boundaries.test.ts), never a file inside it.
 */
export { GROUP_MSG_LIST_MAX_SPAN_SECONDS, MissingSecretError, RESEND_SUPPRESSED, WECOM_ERRCODE, WeComApiError, WeComOutcomeUnknownError, resendStillSuppressed } from "./client";
export type { AddInterceptRuleRequest, ButtonInteractionCard, GroupMsgRecord, InterceptRuleDetail, MiniProgramNotice, UpdateInterceptRuleRequest, WeComClient } from "./client";
export { createWeCom } from "./module";
export type { WeCom } from "./module";
export { MAX_CHAT_DATA_LIMIT } from "./archive/archiveSource";
export type { ArchiveSource, ChatDataPage, ChatDataRecord } from "./archive/archiveSource";
export { ArchivedMessageError, mediaRefs, parseArchivedMessage } from "./archive/archivedMessage";
export type { ArchivedMessage, ChatMessage, MessageContent } from "./archive/archivedMessage";
export { createArchiveSource } from "./archive/createArchiveSource";
export { FinanceSdkError } from "./archive/financeSdkError";
export { randomKeyDecryptorFor } from "./archive/randomKeyDecryptor";
export type { RandomKeyDecryptor } from "./archive/randomKeyDecryptor";
export { parseArchivePrivateKeys } from "./archive/rsaPkcs1";
export { TRANSFER_RESULT_STATUS } from "./client/errcodes";
export type { ContactEvent, ExternalContactEvent, TemplateCardEvent, TextMessage } from "./events/types";
export { retryDelayMs } from "./inbox/backoff";
export type { EventOfKind, InboxBatchContext, InboxBatchHandler, InboxDispatcher, InboxHandler, InboxHandlerContext } from "./inbox/dispatcher";
export { LOGIN_STATE_PATTERN, weComAuthorizeUrl, weComWebLoginUrl } from "./login/loginUrls";
export type { WeComLoginEntry } from "./login/loginUrls";
export type { TransferCustomerResult, TransferResultPage } from "./client/api/customerTransferApi";
export type { MsgAuditApi, RoomAgreeInfo, SingleAgreeInfo } from "./client/api/msgAuditApi";
export type { WeComUser } from "./client/api/userApi";
export { WeComOutbox } from "./outbox/weComOutbox";
export type { OutcomeListener } from "./outbox/weComOutbox";
export { enqueueWeComMessage } from "./outbox/enqueue";
export type { QueuedMessage } from "./outbox/enqueue";
export type { OutboxMessage, OutboxOutcome } from "./outbox/outboxMessage";
export { cardUpdateVerdict, RESPONSE_CODE_LIFETIME_MS } from "./outbox/responseCode";
export type { CardUpdateVerdict } from "./outbox/responseCode";
export { MARKDOWN_MAX_BYTES, packSections } from "./outbox/markdownPacking";
