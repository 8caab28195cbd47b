import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type WechatSessionOptions, WechatSessionContext, wechatRouter } from 'express-wechat-session';
import { MeController } from './me.controller.mjs';
import { wechatModule } from './wechat/wechat.module.mjs';

@Module({})
export class AppModule {}

function appModule(options: WechatSessionOptions): DynamicModule {
  return { module: AppModule, imports: [wechatModule(options)], controllers: [MeController] };
}

/**
 * The Nest app, initialised: the library's router at `/wechat` (login,
 * phone, logout, session), then the app's own controllers. The router is
 * mounted before `init()`, so it comes ahead of Nest's body parsers (it
 * reads its own bodies) and routes.
 */
export async function createApp(options: WechatSessionOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule(options), { logger: ['error', 'warn'] });
  app.use('/wechat', wechatRouter(app.get(WechatSessionContext)));
  return app.init();
}
