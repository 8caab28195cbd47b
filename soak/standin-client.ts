import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { StandInFaultMode } from '../src/testing/index.js';

/** What the soak asks of WeChat's stand-in: what `wx.login` and `getPhoneNumber` give a page, and faults. */
export interface StandInControl {
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  issueLoginCode(openid: string): Promise<string>;
  issuePhoneCode(openid: string, phoneNumber: string): Promise<string>;
  encryptPhone(openid: string, phoneNumber: string): Promise<{ encryptedData: string; iv: string }>;
  fail(mode: StandInFaultMode, delayMs?: number): Promise<void>;
  heal(): Promise<void>;
  stop(): Promise<void>;
}

async function control<T>(url: string, name: string, body: object = {}): Promise<T> {
  const res = await fetch(`${url}/__standin/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T & { error?: string };
  if (res.status !== 200) throw new Error(`stand-in ${name}: ${json.error ?? res.status}`);
  return json;
}

/**
 * Start ./standin-process.ts and drive it over HTTP.
 *
 * @example
 * ```ts
 * const wechat = await startStandInProcess();
 * const code = await wechat.issueLoginCode('oUser');
 * ```
 */
export async function startStandInProcess(): Promise<StandInControl> {
  const child = fork(join(__dirname, 'standin-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ url: string; appId: string; appSecret: string }>((resolve, reject) => {
    child.once('message', (m: { type: string; url: string; appId: string; appSecret: string; message?: string }) =>
      m.type === 'ready' ? resolve(m) : reject(new Error(`stand-in failed: ${m.message}`)));
    child.once('exit', (code) => reject(new Error(`stand-in exited (${code})`)));
  });
  const { url } = ready;
  return {
    ...ready,
    issueLoginCode: async (openid) => (await control<{ code: string }>(url, 'login', { openid })).code,
    issuePhoneCode: async (openid, phoneNumber) => (await control<{ code: string }>(url, 'phone-code', { openid, phoneNumber })).code,
    encryptPhone: (openid, phoneNumber) => control(url, 'encrypt-phone', { openid, phoneNumber }),
    fail: async (mode, delayMs) => void (await control(url, 'fail', { mode, ...(delayMs !== undefined && { delayMs }) })),
    heal: async () => void (await control(url, 'heal')),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
