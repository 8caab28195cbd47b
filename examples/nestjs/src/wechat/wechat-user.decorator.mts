import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { WechatError } from 'express-wechat-session';

/** The session of a request behind `WechatSessionGuard`: the type of `req.wechat`, present. */
export type WechatUser = NonNullable<Request['wechat']>;

/**
 * The request's session, as `requireWechatSession` set it on `req.wechat`:
 * `@WechatUser() user: WechatUser`. A route without `WechatSessionGuard`
 * in front has no session, and the request is refused with 401
 * `WECHAT_SESSION_REQUIRED` instead of reaching the handler with nothing.
 */
export const WechatUser = createParamDecorator<undefined, WechatUser>((_data, context: ExecutionContext) => {
  const session = context.switchToHttp().getRequest<Request>().wechat;
  if (!session) throw new WechatError('WECHAT_SESSION_REQUIRED', 'Log in first: this route needs a session');
  return session;
});
