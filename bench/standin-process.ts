/**
 * The WeChat stand-in in a process of its own (pinned beside the load
 * generator), handing out login codes and encrypted phone payloads over IPC.
 */
import { startWechatStandIn } from '../src/testing/index.js';
import { failStart, serveParent } from './ipc.js';

/** The phone number every phone payload of the bench carries. */
const BENCH_PHONE = '13800138000';

async function main(): Promise<void> {
  const wechat = await startWechatStandIn({ codeTtlSeconds: 3600 });
  serveParent({ url: wechat.url, appId: wechat.appId, appSecret: wechat.appSecret }, (request) => {
    switch (request.type) {
      case 'codes':
        return Array.from({ length: Number(request.count) }, () => wechat.issueLoginCode());
      case 'code':
        return wechat.issueLoginCode(request.openid ? { openid: String(request.openid) } : undefined);
      case 'phone': {
        const openid = String(request.openid);
        const code = wechat.issueLoginCode({ openid });
        return { code, sessionKey: wechat.sessionKeyOf(openid), ...wechat.encryptPhone(openid, BENCH_PHONE) };
      }
      case 'calls':
        return wechat.calls;
      default:
        throw new Error(`unknown request ${String(request.type)}`);
    }
  });
}

main().catch(failStart);
