import { Controller, Get, UseGuards } from '@nestjs/common';
import { WechatSessionGuard } from './wechat/wechat-session.guard.mjs';
import { WechatUser } from './wechat/wechat-user.decorator.mjs';

@Controller('api')
@UseGuards(WechatSessionGuard)
export class MeController {
  @Get('me')
  me(@WechatUser() user: WechatUser) {
    return { openid: user.openid, unionid: user.unionid ?? null };
  }
}
