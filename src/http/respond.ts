import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { WechatError } from '../errors.js';
import { errorFields } from '../log.js';
import type { WechatSessionContext } from '../wechat-session.js';

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

/** An error of the app's own code (a hook): handed to `next(err)` as it is, for the app's error handler. */
export class AppFailure {
  constructor(readonly error: unknown) {}
}

/** Anything thrown becomes a `WechatError`; unknown errors are logged and hidden behind a 500. */
function asWechatError(ctx: WechatSessionContext, err: unknown): WechatError {
  if (err instanceof WechatError) return err;
  ctx.log.error({ event: 'internal_error', ...errorFields(err) }, 'unexpected error');
  return new WechatError('WECHAT_INTERNAL_ERROR', 'Internal error', { cause: err });
}

/** One structured line per failed request (debug for the client's mistakes, warn when we or WeChat failed), then the answer. */
function fail(ctx: WechatSessionContext, res: Response, next: NextFunction, err: unknown, started: number): void {
  if (err instanceof AppFailure) {
    if (!(err.error instanceof WechatError)) {
      next(err.error);
      return;
    }
    err = err.error;
  }
  const error = asWechatError(ctx, err);
  const ms = Math.round(performance.now() - started);
  const fields: Record<string, unknown> = { event: 'request.failed', code: error.code, status: error.status, ms };
  if (error.errcode !== undefined) fields.errcode = error.errcode;
  if (error.field !== undefined) fields.field = error.field;
  if (error.status >= 500) ctx.log.warn(fields, 'request failed');
  else ctx.log.debug(fields, 'request refused');
  if (ctx.config.passErrors || res.headersSent) next(error);
  else sendError(res, error);
}

/**
 * The one shape of every middleware here: run `work`, then `next()`; a
 * rejection is logged and answered as JSON (or passed to `next(err)` with
 * `passErrors`). With `noStore`, a success marks the answer uncacheable
 * (it names a session or a person).
 */
export function middleware(
  name: string,
  ctx: WechatSessionContext,
  work: (req: Request, res: Response) => Promise<void>,
  { noStore }: { noStore: boolean },
): RequestHandler {
  const handler: RequestHandler = (req, res, next) => {
    const started = performance.now();
    work(req, res).then(
      () => {
        if (noStore) res.setHeader('Cache-Control', 'no-store');
        next();
      },
      (err: unknown) => fail(ctx, res, next, err, started),
    );
  };
  return Object.defineProperty(handler, 'name', { value: name });
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
