import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP hop in front of the WeChat stand-in: forwards every request,
 * remembers each request's path and query, and can rewrite the watermark
 * appid of getuserphonenumber answers (WeChat answering with another app's
 * data, which the stand-in itself never does).
 */
export interface WechatProxy {
  url: string;
  /** Path and query of every request received, in order. */
  seen: URL[];
  /** Body of every request received, in order (empty string for none). */
  bodies: string[];
  /** When set, `phone_info.watermark.appid` of phone answers is replaced by it. */
  watermarkAppId?: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function rewrite(text: string, appid: string): string {
  const json = JSON.parse(text) as { phone_info?: { watermark?: { appid?: string } } };
  if (json.phone_info?.watermark) json.phone_info.watermark.appid = appid;
  return JSON.stringify(json);
}

export async function startWechatProxy(target: string): Promise<WechatProxy> {
  const proxy: WechatProxy = { url: '', seen: [], bodies: [], close: async () => undefined };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://proxy.invalid');
      proxy.seen.push(url);
      proxy.bodies.push(body);
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
        method: req.method,
        headers: body ? { 'content-type': req.headers['content-type'] ?? 'application/json' } : undefined,
        body: req.method === 'POST' ? body : undefined,
      });
      let text = await upstream.text();
      if (url.pathname === '/wxa/business/getuserphonenumber' && proxy.watermarkAppId) text = rewrite(text, proxy.watermarkAppId);
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(text);
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
