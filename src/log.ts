/**
 * A pino-style logger: each method takes a structured object and a short
 * message. pino, bunyan-compatible and console-backed loggers all fit.
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

/** A logger that drops everything (`logger: false`). */
export function silentLogger(): WechatLogger {
  return { debug: noop, info: noop, warn: noop, error: noop };
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
