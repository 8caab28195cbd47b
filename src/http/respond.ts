import type { NextFunction, Request, Response } from 'express';
import { WechatError } from '../errors.js';

/**
 * Write `{ error: { code, message } }` with the error's status. An answer
 * sent before the request's body arrived in full closes the connection:
 * nobody will read the rest, and a client dripping it must not keep the
 * socket.
 */
export function sendError(res: Response, error: WechatError): void {
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (error.status === 405 && error.allow) res.setHeader('Allow', error.allow);
  if (res.req && !res.req.complete) res.setHeader('Connection', 'close');
  res.end(JSON.stringify(error.toJSON()));
}

/**
 * An Express error handler that answers `WechatError`s as JSON
 * `{ error: { code, message } }` and passes anything else on. For apps that
 * set `passErrors: true`, or throw `WechatError`s of their own, and still
 * want the standard answers. Mount it after your routes.
 *
 * @example
 * ```ts
 * app.use(wechatErrorHandler());
 * ```
 */
export function wechatErrorHandler() {
  return function wechatErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
    if (!(err instanceof WechatError) || res.headersSent) next(err);
    else sendError(res, err);
  };
}
