/**
 * Every error this library raises is a {@link WechatError} with a stable
 * string `code` and the HTTP `status` it answers with. Clients and tests
 * branch on `code`; the message is for people and may change.
 */

/**
 * Stable error codes, with the HTTP status each one answers with.
 *
 * @example
 * ```ts
 * ERROR_STATUS.WECHAT_SESSION_INVALID; // 401
 * ```
 */
export const ERROR_STATUS = {
  WECHAT_BAD_REQUEST: 400,
  WECHAT_BODY_TOO_LARGE: 413,
  WECHAT_REQUEST_TIMEOUT: 408,
  WECHAT_CODE_INVALID: 401,
  WECHAT_CODE_USED: 401,
  WECHAT_USER_BLOCKED: 403,
  WECHAT_APP_UNKNOWN: 400,
  WECHAT_APP_UNAUTHORIZED: 403,
  WECHAT_RATE_LIMITED: 429,
  WECHAT_CONFIG_ERROR: 500,
  WECHAT_UPSTREAM_ERROR: 502,
  WECHAT_UPSTREAM_TIMEOUT: 504,
  WECHAT_UPSTREAM_BUSY: 503,
  WECHAT_SESSION_REQUIRED: 401,
  WECHAT_SESSION_INVALID: 401,
  WECHAT_SESSION_KEY_MISMATCH: 401,
  WECHAT_SIGNATURE_INVALID: 401,
  WECHAT_PUSH_REJECTED: 401,
  WECHAT_WATERMARK_MISMATCH: 400,
  WECHAT_PERMISSION_DENIED: 400,
  WECHAT_STORE_UNAVAILABLE: 503,
  WECHAT_NOT_FOUND: 404,
  WECHAT_METHOD_NOT_ALLOWED: 405,
  WECHAT_INTERNAL_ERROR: 500,
} as const;

/**
 * Every stable error code, the key of {@link ERROR_STATUS}.
 *
 * @example
 * ```ts
 * const retryable: WechatErrorCode[] = ['WECHAT_UPSTREAM_ERROR', 'WECHAT_UPSTREAM_TIMEOUT', 'WECHAT_STORE_UNAVAILABLE'];
 * ```
 */
export type WechatErrorCode = keyof typeof ERROR_STATUS;

export interface WechatErrorOptions {
  cause?: unknown;
  /** The WeChat `errcode` behind this error, when WeChat answered with one. */
  errcode?: number;
  /** The request field that was wrong, for `WECHAT_BAD_REQUEST`. */
  field?: string;
  /** Seconds after which a retry may succeed (rate limits, busy upstream). */
  retryAfter?: number;
  /** The methods a route takes, for `WECHAT_METHOD_NOT_ALLOWED` (sent as `Allow`). */
  allow?: string;
}

/**
 * Base class of every error this package throws or passes to `next(err)`.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   if (err instanceof WechatError) return res.status(err.status).json({ code: err.code });
 *   next(err);
 * });
 * ```
 */
export class WechatError extends Error {
  readonly code: WechatErrorCode;
  readonly status: number;
  /** Express's final handler shows `message` of errors with `expose` set to true. */
  readonly expose: boolean;
  readonly errcode?: number;
  readonly field?: string;
  readonly retryAfter?: number;
  readonly allow?: string;

  constructor(code: WechatErrorCode, message: string, options: WechatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.expose = this.status < 500;
    if (options.errcode !== undefined) this.errcode = options.errcode;
    if (options.field !== undefined) this.field = options.field;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.allow !== undefined) this.allow = options.allow;
  }

  /** The JSON body sent to clients: `{ error: { code, message } }`. */
  toJSON(): { error: { code: WechatErrorCode; message: string; field?: string; errcode?: number } } {
    const error: { code: WechatErrorCode; message: string; field?: string; errcode?: number } = {
      code: this.code,
      message: this.message,
    };
    if (this.field !== undefined) error.field = this.field;
    if (this.errcode !== undefined && this.status < 500) error.errcode = this.errcode;
    return { error };
  }
}

/**
 * What a {@link WechatApiError} is made of.
 *
 * @example
 * ```ts
 * throw new WechatApiError({ api: 'msg_sec_check', errcode: 87014, errmsg: 'risky content', code: 'WECHAT_BAD_REQUEST' });
 * ```
 */
export interface WechatApiErrorOptions {
  /** The library's code for it; default `WECHAT_UPSTREAM_ERROR`. */
  code?: WechatErrorCode;
  /** Which WeChat API answered, e.g. `jscode2session`. */
  api: string;
  errcode: number;
  errmsg?: string;
  /** Default: "WeChat <api> answered errcode <errcode>". */
  message?: string;
  retryAfter?: number;
}

/**
 * WeChat answered with a non-zero `errcode` (carried on the error).
 *
 * @example
 * ```ts
 * if (json.errcode) throw new WechatApiError({ api: 'getwxacode', errcode: json.errcode, errmsg: json.errmsg });
 * ```
 */
export class WechatApiError extends WechatError {
  /** Which WeChat API answered, e.g. `jscode2session`. */
  readonly api: string;
  readonly errmsg: string;

  constructor(options: WechatApiErrorOptions) {
    const { code = 'WECHAT_UPSTREAM_ERROR', api, errcode, errmsg = '', message, retryAfter } = options;
    super(code, message ?? `WeChat ${api} answered errcode ${errcode}`, { errcode, retryAfter });
    this.api = api;
    this.errmsg = errmsg;
  }
}

/**
 * The store did not answer, or answered with an error. Fail closed: 503.
 *
 * @example
 * ```ts
 * const store: WechatStore = {
 *   async get(key) { if (!db.connected) throw new StoreUnavailableError('get'); return db.get(key); },
 *   // …
 * };
 * ```
 */
export class StoreUnavailableError extends WechatError {
  constructor(operation: string, cause?: unknown) {
    super('WECHAT_STORE_UNAVAILABLE', `Session store unavailable during ${operation}`, { cause, retryAfter: 1 });
  }
}

/** Shorthand for a 400 about one request field. */
export function badRequest(field: string, message: string): WechatError {
  return new WechatError('WECHAT_BAD_REQUEST', message, { field });
}
