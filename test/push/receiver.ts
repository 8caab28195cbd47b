import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openPush, type PushConfig, type PushOutcome } from '../../src/push/open.js';

/** A push URL for the stand-in to send to: each request goes through openPush; events answer `success`, refusals 401. */
export interface PushReceiver {
  url: string;
  outcomes: PushOutcome[];
  close(): Promise<void>;
}

export async function startReceiver(config: PushConfig): Promise<PushReceiver> {
  const outcomes: PushOutcome[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver.invalid');
      const outcome = openPush({ method: req.method ?? '', query: url.searchParams, body: Buffer.concat(chunks) }, config);
      outcomes.push(outcome);
      if (outcome.kind === 'refused')
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'WECHAT_PUSH_REJECTED' } }));
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(outcome.kind === 'echo' ? outcome.echostr : 'success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wechat/push`,
    outcomes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
