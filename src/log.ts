/**
 * A pino-style logger: each method takes a structured object and a short
 * message. pino, bunyan-compatible and console-backed loggers all fit.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const wechat = wechatSession({ appId, appSecret, logger: pino({ level: 'info' }) });
 * ```
 */
export interface WechatLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: object): WechatLogger;
}

const noop = (): void => {};

/** The default logger: warnings and errors only, one JSON line each on stderr. */
export function defaultLogger(): WechatLogger {
  const write = (level: string) => (obj: object, msg?: string) => {
    process.stderr.write(`${JSON.stringify({ level, lib: 'express-wechat-session', ...obj, msg })}\n`);
  };
  return { debug: noop, info: noop, warn: write('warn'), error: write('error') };
}

/**
 * False when `log.debug` is the library's own no-op (the default logger and
 * `logger: false`), so a debug line that costs work to build can be skipped.
 */
export function debugEnabled(log: WechatLogger): boolean {
  return log.debug !== noop;
}

/** A logger that drops everything (`logger: false`). */
function silentLogger(): WechatLogger {
  return { debug: noop, info: noop, warn: noop, error: noop };
}

/**
 * The logger the library writes to: the app's own (through `child` when it
 * has one, so every line carries `lib`), the default, or a silent one.
 */
export function libraryLogger(logger: WechatLogger | false | undefined): WechatLogger {
  if (logger === false) return silentLogger();
  if (!logger) return defaultLogger();
  return typeof logger.child === 'function' ? logger.child({ lib: 'express-wechat-session' }) : logger;
}

/**
 * A phone number fit for a log line: the first three and last four digits,
 * the rest starred (`13800000000` → `138****0000`). Short numbers are starred whole.
 *
 * @example
 * ```ts
 * log.debug({ event: 'phone', phone: maskPhone(phone.purePhoneNumber) });
 * ```
 */
export function maskPhone(phone: string): string {
  const digits = String(phone).replace(/[^0-9]/g, '');
  if (digits.length < 8) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Describe an error for a log line without its stack or any secret-bearing text of the cause. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown; errcode?: unknown };
    const fields: Record<string, unknown> = { err: typeof e.name === 'string' ? e.name : 'Error' };
    if (typeof e.code === 'string') fields.code = e.code;
    if (typeof e.errcode === 'number') fields.errcode = e.errcode;
    return fields;
  }
  return { err: typeof err };
}

/**
 * A store or client error for a log line: its class, system code and
 * message (`ReplyError: ERR syntax error`, `Error ECONNREFUSED: connect
 * ECONNREFUSED 127.0.0.1:6379`), on one line and at most 200 characters. The
 * errors of store clients name the command's failure; long token-like runs
 * (a hashed session key, say) are cut out all the same.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const { code } = err as { code?: unknown };
  const system = typeof code === 'string' ? ` ${code}` : '';
  return `${err.name}${system}: ${err.message}`
    .replace(/\s+/g, ' ')
    .replace(/[A-Za-z0-9_+/=-]{24,}/g, '…')
    .slice(0, 200);
}
