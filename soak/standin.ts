/** The WeChat stand-in as a process of its own (see ./wechat.ts); prints `listening on <url>`. */
import { startWechatStandIn } from '../src/testing/index.js';
import { exitWithParent } from '../test/support/app-process.js';

startWechatStandIn({ codeTtlSeconds: 60 }).then(
  (wechat) => {
    exitWithParent(() => wechat.close());
    process.stdout.write(`listening on ${wechat.url}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`stand-in failed: ${String(err)}\n`);
    process.exit(1);
  },
);
