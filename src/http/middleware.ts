/** The one shape of every middleware here, and the one path its errors (and `wechatHandler`'s) take. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { WechatSessionContext } from '../context/wechat-session.js';
import { WechatError } from '../errors.js';
import { errorFields } from '../log.js';
import { sendError } from './respond.js';

/** An error of the app's own code (a hook, a `wechatHandler` route): handed to `next(err)` as it is, unless it is a `WechatError`. */
export class AppFailure {
  constructor(readonly error: unknown) {}
}

const CONTEXT = Symbol('wechatSessionContext');

/** The context of the last of our middleware a request went through, for `wechatHandler` after it. */
export function requestContext(req: Request): WechatSessionContext | undefined {
  return (req as Request & { [CONTEXT]?: WechatSessionContext })[CONTEXT];
}

/** Anything thrown becomes a `WechatError`; unknown errors are logged and hidden behind a 500. */
function asWechatError(ctx: WechatSessionContext | undefined, err: unknown): WechatError {
  if (err instanceof WechatError) return err;
  ctx?.log.error({ event: 'internal_error', ...errorFields(err) }, 'unexpected error');
  return new WechatError('WECHAT_INTERNAL_ERROR', 'Internal error', { cause: err });
}

/**
 * The error path: one structured line per failed request (debug for the
 * client's mistakes, warn when we or WeChat failed), then the JSON answer,
 * or `next(err)` with `passErrors` (or once the answer has started). An
 * {@link AppFailure} that is not a `WechatError` goes to `next(err)` as it is.
 */
export function failRequest(ctx: WechatSessionContext | undefined, res: Response, next: NextFunction, err: unknown, started: number): void {
  if (err instanceof AppFailure) {
    if (!(err.error instanceof WechatError)) {
      next(err.error);
      return;
    }
    err = err.error;
  }
  const error = asWechatError(ctx, err);
  const fields: Record<string, unknown> = { event: 'request.failed', code: error.code, status: error.status, ms: Math.round(performance.now() - started) };
  if (error.errcode !== undefined) fields.errcode = error.errcode;
  if (error.field !== undefined) fields.field = error.field;
  if (error.status >= 500) ctx?.log.warn(fields, 'request failed');
  else ctx?.log.debug(fields, 'request refused');
  if (ctx?.config.passErrors || res.headersSent) next(error);
  else sendError(res, error);
}

/**
 * Run `work`, then `next()`; a rejection takes {@link failRequest}. With
 * `noStore`, a success marks the answer uncacheable (it names a session or
 * a person).
 */
export function middleware(
  name: string,
  ctx: WechatSessionContext,
  work: (req: Request, res: Response) => Promise<void>,
  { noStore }: { noStore: boolean },
): RequestHandler {
  const handler: RequestHandler = (req, res, next) => {
    const started = performance.now();
    Object.defineProperty(req, CONTEXT, { value: ctx, configurable: true, writable: true });
    work(req, res).then(
      () => {
        if (noStore) res.setHeader('Cache-Control', 'no-store');
        next();
      },
      (err: unknown) => failRequest(ctx, res, next, err, started),
    );
  };
  return Object.defineProperty(handler, 'name', { value: name });
}
