/**
 * Legacy phone decryption, operations per second: the library's
 * `decryptWechatData` (strict input checks, padding check, watermark) against
 * the straightforward reference in bench/reference-decrypt.ts, on the same
 * payload, in timed slices that alternate between the two.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { library } from './library.js';
import { failStart, serveParent } from './ipc.js';
import { referenceDecrypt } from './reference-decrypt.js';

const APP_ID = 'wx4f4bc4dec97d474b';

interface Payload {
  sessionKey: string;
  encryptedData: string;
  iv: string;
}

function makePayload(): Payload {
  const key = randomBytes(16);
  const iv = randomBytes(16);
  const plain = JSON.stringify({
    phoneNumber: '13800138000',
    purePhoneNumber: '13800138000',
    countryCode: '86',
    watermark: { timestamp: Math.floor(Date.now() / 1000), appid: APP_ID },
  });
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { sessionKey: key.toString('base64'), encryptedData: encrypted.toString('base64'), iv: iv.toString('base64') };
}

type Decrypt = (p: Payload) => unknown;

const { decryptWechatData } = library();

const IMPLEMENTATIONS: Readonly<Record<string, Decrypt>> = {
  ours: (p) => decryptWechatData(p.sessionKey, p.encryptedData, p.iv, { appId: APP_ID }),
  reference: (p) => referenceDecrypt(p.sessionKey, p.encryptedData, p.iv, APP_ID),
};

/** Run `decrypt` for about `seconds`; resolves operations per second. */
function opsPerSecond(decrypt: Decrypt, payload: Payload, seconds: number): number {
  const deadline = performance.now() + seconds * 1000;
  let ops = 0;
  let sink = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i += 1) sink += (decrypt(payload) as { phoneNumber: string }).phoneNumber.length;
    ops += 100;
  }
  if (sink !== ops * 11) throw new Error('decryption gave a wrong answer');
  return ops / ((performance.now() - started) / 1000);
}

function main(): void {
  const payload = makePayload();
  serveParent({}, (request) => {
    if (request.type !== 'slice') throw new Error(`unknown request ${String(request.type)}`);
    const decrypt = IMPLEMENTATIONS[String(request.impl)];
    if (!decrypt) throw new Error(`unknown implementation ${String(request.impl)}`);
    return opsPerSecond(decrypt, payload, Number(request.seconds));
  });
}

try {
  main();
} catch (error) {
  failStart(error);
}
