import { ApiError, MESSAGES, TransportError, fromResponse, fromTransportFailure } from "./apiError";
import type {
  Case,
  Certificate,
  Checklist,
  LoginResult,
  MpUser,
  Notice,
  WorkRules,
  Overview,
  SignNoticeInput,
  SettlementStatement,
  SignatureInput,
  StartResignationInput,
} from "./types";

/**
 * The typed /api/mp client. It knows nothing about `wx`: the transport, the
 * WeCom login and the storage are injected, so the same client runs in the
 * mini-program (transports/wx) and in Node tests against a real server
 * (transports/fetch).
 */

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  header: Record<string, string>;
  data?: unknown;
  timeoutMs: number;
}

export interface HttpResponse {
  statusCode: number;
  /** Parsed JSON (or the raw text when the body was not JSON). */
  data: unknown;
  header: Record<string, string>;
}

/** Resolves with any HTTP answer (including 4xx/5xx); rejects with TransportError when there is none. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export interface ApiClientOptions {
  /** e.g. https://guard.example.com or http://127.0.0.1:3000 — no trailing slash needed. */
  baseUrl: string;
  request: HttpTransport;
  /** Returns a fresh one-time login code (wx.qy.login in the mini-program). */
  login: () => Promise<string>;
  storage: KeyValueStorage;
  timeoutMs?: number;
}

export interface ApiClient {
  /** Logs in now (normally implicit on the first call or after a 401). */
  login(): Promise<LoginResult>;
  /** The user of the stored session, if any. */
  currentUser(): MpUser | null;
  logout(): void;
  getOverview(): Promise<Overview>;
  startResignation(input: StartResignationInput): Promise<Case>;
  getCase(caseId: string): Promise<Case>;
  getNotice(caseId: string): Promise<Notice>;
  signNotice(caseId: string, input: SignNoticeInput): Promise<Notice>;
  getChecklist(caseId: string): Promise<Checklist>;
  markChecklistItemDone(caseId: string, itemId: string, note?: string): Promise<Checklist>;
  signChecklist(caseId: string, input: SignatureInput): Promise<Checklist>;
  withdraw(caseId: string, reason: string): Promise<Case>;
  getCertificate(caseId: string): Promise<Certificate>;
  /** The leaver's own settlement statement (离职结算单). */
  getSettlement(caseId: string): Promise<SettlementStatement>;
  /** The work-account rules signed at onboarding (the signed copy once signed). */
  getWorkRules(): Promise<WorkRules>;
  /** `documentSha256`: the fingerprint of the text the page showed (a changed text is refused, 409). */
  signWorkRules(input: SignNoticeInput & { documentSha256: string }): Promise<WorkRules>;
}

const SESSION_KEY = "mp.session";
const DEFAULT_TIMEOUT_MS = 15_000;

interface Session {
  token: string;
  expiresAt: string;
  user: MpUser;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { storage } = options;
  // Concurrent 401s share one login instead of burning several WeCom codes.
  let loginInFlight: Promise<Session> | null = null;

  function readSession(): Session | null {
    const raw = storage.get(SESSION_KEY);
    if (!raw) return null;
    try {
      const s = JSON.parse(raw) as Partial<Session>;
      return typeof s.token === "string" && s.user ? (s as Session) : null;
    } catch {
      return null;
    }
  }

  async function send(method: HttpRequest["method"], path: string, body: unknown, token: string | null) {
    const header: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) header["Content-Type"] = "application/json";
    if (token) header.Authorization = `Bearer ${token}`;
    try {
      return await options.request({ method, url: baseUrl + path, header, data: body, timeoutMs });
    } catch (err) {
      throw fromTransportFailure(err);
    }
  }

  async function doLogin(): Promise<Session> {
    let code: string;
    try {
      code = await options.login();
    } catch (err) {
      if (err instanceof TransportError) throw fromTransportFailure(err);
      throw new ApiError(MESSAGES.loginFailed, 0, "login_failed");
    }
    const res = await send("POST", "/api/mp/login", { code }, null);
    if (res.statusCode < 200 || res.statusCode >= 300) throw fromResponse(res);
    const result = res.data as LoginResult;
    if (!result || typeof result.token !== "string") throw new ApiError(MESSAGES.generic, res.statusCode, "bad_login_reply");
    const session: Session = { token: result.token, expiresAt: result.expiresAt, user: result.user };
    storage.set(SESSION_KEY, JSON.stringify(session));
    return session;
  }

  /** A new session, unless another call already replaced the token that just failed. */
  function renewSession(staleToken: string | null): Promise<Session> {
    const current = readSession();
    if (current && current.token !== staleToken) return Promise.resolve(current);
    if (!loginInFlight) {
      loginInFlight = doLogin().finally(() => {
        loginInFlight = null;
      });
    }
    return loginInFlight;
  }

  async function call<T>(method: HttpRequest["method"], path: string, body?: unknown): Promise<T> {
    let token = readSession()?.token ?? (await renewSession(null)).token;
    let res = await send(method, path, body, token);
    if (res.statusCode === 401) {
      // The session expired or the server forgot it: log in again and retry exactly once.
      token = (await renewSession(token)).token;
      res = await send(method, path, body, token);
      if (res.statusCode === 401) storage.remove(SESSION_KEY);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
    throw fromResponse(res);
  }

  const id = encodeURIComponent;
  const resignation = (caseId: string) => `/api/mp/resignations/${id(caseId)}`;

  return {
    async login() {
      const s = await renewSession(readSession()?.token ?? null);
      return { token: s.token, expiresAt: s.expiresAt, user: s.user };
    },
    currentUser: () => readSession()?.user ?? null,
    logout: () => storage.remove(SESSION_KEY),
    getOverview: () => call<Overview>("GET", "/api/mp/resignation/overview"),
    startResignation: async (input) => (await call<{ case: Case }>("POST", "/api/mp/resignations", input)).case,
    getCase: async (caseId) => (await call<{ case: Case }>("GET", resignation(caseId))).case,
    getNotice: async (caseId) => (await call<{ notice: Notice }>("GET", `${resignation(caseId)}/notice`)).notice,
    getWorkRules: async () => (await call<{ workRules: WorkRules }>("GET", "/api/mp/work-rules")).workRules,
    signWorkRules: async (input) => (await call<{ workRules: WorkRules }>("POST", "/api/mp/work-rules/sign", input)).workRules,
    signNotice: async (caseId, input) =>
      (await call<{ notice: Notice }>("POST", `${resignation(caseId)}/notice/sign`, input)).notice,
    getChecklist: async (caseId) =>
      (await call<{ checklist: Checklist }>("GET", `${resignation(caseId)}/checklist`)).checklist,
    markChecklistItemDone: async (caseId, itemId, note) =>
      (
        await call<{ checklist: Checklist }>(
          "POST",
          `${resignation(caseId)}/checklist/items/${id(itemId)}/done`,
          note ? { note } : {},
        )
      ).checklist,
    signChecklist: async (caseId, input) =>
      (await call<{ checklist: Checklist }>("POST", `${resignation(caseId)}/checklist/sign`, input)).checklist,
    withdraw: async (caseId, reason) =>
      (await call<{ case: Case }>("POST", `${resignation(caseId)}/withdraw`, { reason })).case,
    getCertificate: async (caseId) =>
      (await call<{ certificate: Certificate }>("GET", `${resignation(caseId)}/certificate`)).certificate,
    getSettlement: async (caseId) =>
      (await call<{ settlement: SettlementStatement }>("GET", `${resignation(caseId)}/settlement`)).settlement,
  };
}
