import pino, { type Logger } from "pino";

export type { Logger };

/** Paths whose values must never reach a log line. */
export const redactedPaths = [
  "access_token",
  "*.access_token",
  "secret",
  "*.secret",
  "corpsecret",
  "*.corpsecret",
  "password",
  "*.password",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "res.headers['set-cookie']",
  "session_key",
  "*.session_key",
  "privateKey",
  "*.privateKey",
  "encodingAesKey",
  "*.encodingAesKey",
];

/** Query-string parameters that carry credentials in WeCom URLs. */
const secretQueryParams = /([?&](?:access_token|corpsecret|key|js_code|code|suite_access_token|echostr)=)[^&#\s]*/gi;

export function redactUrl(url: string): string {
  return url.replace(secretQueryParams, "$1[REDACTED]");
}

export interface LoggerOptions {
  level: string;
  pretty: boolean;
}

/** The service's logger; `destination` (a file path) instead of stdout lets a bench pay production's logging cost without printing it. */
export function createLogger(options: LoggerOptions & { destination?: string }): Logger {
  const settings = {
    level: options.level,
    redact: { paths: redactedPaths, censor: "[REDACTED]" },
    base: { service: "wecom-parent-guard" },
    timestamp: pino.stdTimeFunctions.isoTime,
    transport: options.pretty
      ? { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" } }
      : undefined,
  };
  return options.destination === undefined ? pino(settings) : pino(settings, pino.destination({ dest: options.destination, sync: true }));
}

/** A logger that writes nothing, for tests that do not assert on logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
