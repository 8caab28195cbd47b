import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { type WechatSessionOptions, WechatSessionContext, wechatSession } from 'express-wechat-session';
import { WechatErrorFilter } from './wechat-error.filter.mjs';
import { WechatSessionGuard } from './wechat-session.guard.mjs';

@Module({})
export class WechatModule {}

/**
 * The login's shared context for every module (`WechatSessionContext`,
 * to inject), `WechatSessionGuard`, and `WechatErrorFilter` for the whole
 * app. The context hands errors on (`passErrors: true`): the guard needs
 * them, and the filter answers them.
 */
export function wechatModule(options: WechatSessionOptions): DynamicModule {
  const context = wechatSession({ ...options, passErrors: true });
  return {
    module: WechatModule,
    global: true,
    providers: [{ provide: WechatSessionContext, useValue: context }, WechatSessionGuard, { provide: APP_FILTER, useClass: WechatErrorFilter }],
    exports: [WechatSessionContext, WechatSessionGuard],
  };
}
