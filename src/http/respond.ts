import type { NextFunction, Request, Response } from 'express';
import { WechatApiError, WechatError, type WechatErrorCode } from '../errors.js';
import type { Emit } from '../events.js';
import { errorFields, type WechatLogger } from '../log.js';
import { bodyWasAbandoned } from './body.js';

/** Errors that mean WeChat failed us (not the client): reported as `upstreamError`. */
const UPSTREAM_CODES: ReadonlySet<WechatErrorCode> = new Set([
  'WECHAT_UPSTREAM_ERROR',
  'WECHAT_UPSTREAM_TIMEOUT',
  'WECHAT_CONFIG_ERROR',
  'WECHAT_RATE_LIMITED',
]);

/** What answering a failed request needs from the context. */
export interface FailureSettings {
  passErrors: boolean;
  log: WechatLogger;
  emit?: Emit;
}

/** Anything thrown becomes a `WechatError`; unknown errors are logged and hidden behind a 500. */
export function asWechatError(err: unknown, log: WechatLogger): WechatError {
  if (err instanceof WechatError) return err;
  log.error({ event: 'internal_error', ...errorFields(err) }, 'unexpected error');
  return new WechatError('WECHAT_INTERNAL_ERROR', 'Internal error', { cause: err });
}

/**
 * Write `{ error: { code, message } }` with the error's status. When the
 * request body was cut off or refused mid-way, the connection is closed
 * after the answer instead of waiting for the rest of the body.
 */
export function sendError(res: Response, error: WechatError): void {
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (res.req && bodyWasAbandoned(res.req)) res.setHeader('Connection', 'close');
  res.end(JSON.stringify(error.toJSON()));
}

/** One structured line per failed request: debug for the client's mistakes, warn when we or WeChat failed. */
function logFailure(settings: FailureSettings, error: WechatError, ms: number | undefined): void {
  const fields: Record<string, unknown> = { event: 'request.failed', code: error.code, status: error.status };
  if (error.errcode !== undefined) fields.errcode = error.errcode;
  if (error.field !== undefined) fields.field = error.field;
  if (ms !== undefined) fields.ms = ms;
  if (error.status >= 500) settings.log.warn(fields, 'request failed');
  else settings.log.debug(fields, 'request refused');
}

/** Answer an error as JSON, or hand it to `next(err)` when the app asked for that. */
export function failRequest(
  settings: FailureSettings,
  _req: Request,
  res: Response,
  next: NextFunction,
  err: unknown,
  started?: number,
): void {
  const error = asWechatError(err, settings.log);
  const ms = started === undefined ? undefined : Math.round(performance.now() - started);
  logFailure(settings, error, ms);
  if (UPSTREAM_CODES.has(error.code)) {
    const api = error instanceof WechatApiError ? error.api : undefined;
    settings.emit?.('upstreamError', {
      code: error.code,
      ...(error.errcode !== undefined && { errcode: error.errcode }),
      ...(api !== undefined && { api }),
      ...(ms !== undefined && { ms }),
    });
  }
  if (settings.passErrors || res.headersSent) return next(error);
  sendError(res, error);
}

/**
 * An Express error handler that answers `WechatError`s as JSON
 * `{ error: { code, message } }` and passes anything else on. For apps that
 * set `passErrors: true` and still want the standard answers.
 *
 * @example
 * ```ts
 * app.use(wechatErrorHandler());
 * ```
 */
export function wechatErrorHandler() {
  return function wechatErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
    if (!(err instanceof WechatError) || res.headersSent) return next(err);
    sendError(res, err);
  };
}
