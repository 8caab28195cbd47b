// Type-level check (run by `tsc --noEmit` in the test command): the mini-program
// client (packages/miniprogram) knows exactly the codes the server answers with,
// no more and no fewer. It lives here, beside the server, because the client
// package depends on nothing of the server.
import type { ServerErrorCode } from '../../packages/miniprogram/src/errors.js';
import type { WechatErrorCode } from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const serverCodesMatch: Equal<ServerErrorCode, WechatErrorCode> = true;
// @ts-expect-error a code the server does not send
export const unknownCodeRefused: Equal<ServerErrorCode, WechatErrorCode | 'WECHAT_NOT_A_CODE'> = true;
