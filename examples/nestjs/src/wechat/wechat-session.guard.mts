import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { requireWechatSession, WechatSessionContext } from 'express-wechat-session';

/**
 * Lets a request through only once `requireWechatSession` has resolved its
 * token to `req.wechat`. Whatever the middleware refuses (no token, a bad or
 * ended one: 401; the store down: 503) reaches Nest as the library's
 * `WechatError`, which `WechatErrorFilter` answers as the library does. The
 * context comes from `wechatModule()`, built with `passErrors: true` so
 * that the middleware hands its errors on instead of answering them.
 */
@Injectable()
export class WechatSessionGuard implements CanActivate {
  readonly #requireSession: RequestHandler;

  // Injected by name: no reliance on decorator metadata, which esbuild-based tools (tsx, Vitest) do not emit.
  constructor(@Inject(WechatSessionContext) wechat: WechatSessionContext) {
    this.#requireSession = requireWechatSession(wechat);
  }

  canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    return new Promise((resolve, reject) => {
      this.#requireSession(http.getRequest<Request>(), http.getResponse<Response>(), (error?: unknown) => (error ? reject(error) : resolve(true)));
    });
  }
}
