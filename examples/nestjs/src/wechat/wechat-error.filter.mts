import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WechatError, wechatErrorHandler } from 'express-wechat-session';

/**
 * Answers the library's errors as the library does (status, `code`,
 * `WWW-Authenticate` on a 401, `Retry-After` on a 503) instead of Nest's
 * generic 500. Other errors are left to Nest.
 */
@Catch(WechatError)
export class WechatErrorFilter implements ExceptionFilter<WechatError> {
  readonly #answer = wechatErrorHandler();

  catch(error: WechatError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    // The handler passes an error on only when the answer has begun: end it, as Express does.
    this.#answer(error, http.getRequest<Request>(), res, () => res.destroy());
  }
}
