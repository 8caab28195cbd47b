/**
 * The WeChat stand-in in a process of its own, so that WeChat's answer
 * times do not depend on how busy the traffic generator is. Reports its
 * URL over IPC; driven through its `/__standin/` control endpoints.
 */
import { startWechatStandIn } from '../src/testing/index.js';

async function main(): Promise<void> {
  const wechat = await startWechatStandIn({ codeTtlSeconds: 60 });
  process.send?.({ type: 'ready', url: wechat.url, appId: wechat.appId, appSecret: wechat.appSecret });
  const stop = async () => {
    await wechat.close();
    process.exit(0);
  };
  process.on('message', (message: { type: string }) => void (message.type === 'stop' && stop()));
  process.on('disconnect', () => void stop());
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', message: String((err as Error)?.message ?? err) });
  process.exit(1);
});
