import type { NextFunction, Request, Response } from 'express';
import { WechatError } from '../errors.js';
import { errorFields, type WechatLogger } from '../log.js';

/** Anything thrown becomes a `WechatError`; unknown errors are logged and hidden behind a 500. */
export function asWechatError(err: unknown, log: WechatLogger): WechatError {
  if (err instanceof WechatError) return err;
  log.error({ event: 'internal_error', ...errorFields(err) }, 'unexpected error');
  return new WechatError('WECHAT_INTERNAL_ERROR', 'Internal error', { cause: err });
}

/** Write `{ error: { code, message } }` with the error's status. */
export function sendError(res: Response, error: WechatError): void {
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.end(JSON.stringify(error.toJSON()));
}

/** Answer an error as JSON, or hand it to `next(err)` when the app asked for that. */
export function failRequest(
  settings: { passErrors: boolean; log: WechatLogger },
  _req: Request,
  res: Response,
  next: NextFunction,
  err: unknown,
): void {
  const error = asWechatError(err, settings.log);
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
