import { Writable } from 'node:stream';
import pino from 'pino';
import { defaultLogger, maskPhone } from '../../src/log.js';
import { recordingLogger } from '../support/harness.js';
import { runLifecycle, type LifecycleRun } from './lifecycle.js';

/**
 * The whole lifecycle with the logger at its most verbose: nothing written
 * (log lines, event objects, answers) holds a token, a session_key, the
 * AppSecret, an access_token, a login or phone code, encryptedData or a
 * phone number; the phone number shows masked; lines are structured.
 */

jest.setTimeout(60_000); // each run goes through the whole lifecycle, WeChat and store timeouts included

function expectClean(run: LifecycleRun, written: string[]): void {
  const everything = [...written, ...run.events, ...run.bodies].join('\n');
  expect(run.secrets.length).toBeGreaterThan(20);
  for (const secret of run.secrets) {
    expect(secret.length).toBeGreaterThan(8);
    if (everything.includes(secret)) throw new Error(`a secret was written: …${secret.slice(-6)}`);
  }
  const logged = [...written, ...run.events].join('\n'); // the phone answers carry the number by design
  for (const phone of run.phones) {
    expect(logged).not.toContain(phone);
    expect(written.join('\n')).toContain(maskPhone(phone));
  }
}

function parsedLines(written: string[]): Record<string, unknown>[] {
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectStructured(lines: Record<string, unknown>[]): void {
  const events = new Set(lines.map((l) => l.event));
  for (const event of [
    'login',
    'logout',
    'session.renew',
    'session.revoke',
    'session_key.mismatch',
    'wechat.failed',
    'store.failed',
    'request.failed',
    'hook.failed',
    'phone',
  ]) {
    expect(events).toContain(event);
  }
  for (const line of lines) expect(typeof line.event).toBe('string');
  const login = lines.find((l) => l.event === 'login')!;
  expect(login).toMatchObject({ openid: 'oAudit1', ms: expect.any(Number) });
  const failed = lines.filter((l) => l.event === 'request.failed');
  expect(failed.map((l) => l.code)).toEqual(
    expect.arrayContaining(['WECHAT_UPSTREAM_ERROR', 'WECHAT_UPSTREAM_TIMEOUT', 'WECHAT_STORE_UNAVAILABLE', 'WECHAT_SESSION_KEY_MISMATCH']),
  );
  for (const line of failed) expect(typeof line.ms).toBe('number');
}

it('writes no secret and no phone number with a recording logger at debug level', async () => {
  const lines: string[] = [];
  const run = await runLifecycle(recordingLogger(lines));
  expect(run.statuses).toEqual(expect.arrayContaining([200, 204, 401, 502, 503, 504]));
  expectStructured(parsedLines(lines));
  expectClean(run, lines);
  expect(run.events.map((e) => JSON.parse(e).type)).toEqual(
    expect.arrayContaining(['login', 'renew', 'logout', 'revoke', 'sessionKeyMismatch', 'upstreamError', 'storeError']),
  );
});

it('writes no secret and no phone number through real pino at level trace', async () => {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const run = await runLifecycle(pino({ level: 'trace' }, sink));
  const lines = parsedLines(chunks);
  expect(lines.every((l) => l.lib === 'express-wechat-session')).toBe(true); // through pino's child()
  expectStructured(lines);
  expectClean(run, chunks);
});

it('masks phone numbers: the first three and last four digits only', () => {
  expect(maskPhone('13800000000')).toBe('138****0000');
  expect(maskPhone('+86 139-1234-5678')).toBe('861****5678');
  expect(maskPhone('12345')).toBe('****');
});

it('by default writes warnings and errors only, one JSON line each on stderr', async () => {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  const capture = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
  process.stderr.write = capture;
  let run: LifecycleRun;
  try {
    run = await runLifecycle(defaultLogger());
  } finally {
    process.stderr.write = original;
  }
  const lines = parsedLines(written.filter((w) => w.includes('express-wechat-session')));
  expect(lines.length).toBeGreaterThan(3);
  for (const line of lines) expect(['warn', 'error']).toContain(line.level);
  expect(lines.some((l) => l.event === 'login')).toBe(false);
  expectClean({ ...run, phones: [] }, written);
});
