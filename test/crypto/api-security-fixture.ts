import { constants, createCipheriv, generateKeyPairSync, sign } from 'node:crypto';

/** The keys of one app's API security, made for the crypto suites: the app's pair, WeChat's platform pair, an AES key. */
export const appPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const platformPair = generateKeyPairSync('rsa', { modulusLength: 2048 });

export const pem = (key: { export(o: object): string | Buffer }, type: string): string => String(key.export({ type, format: 'pem' }));

/** The `apiSecurity` option, as the admin console hands it out (the private key in PKCS#1). */
export const options = {
  aesKey: 'otUpngOjU+nVQaWJIC3D/yMLV17RKaP6t4Ot9tbnzLY=',
  aesSn: 'fa05fe1e5bcc79b81ad5ad4b58acf787',
  privateKey: pem(appPair.privateKey, 'pkcs1'),
  rsaSn: '97845f6ed842ea860df6fdf65941ff56',
  platformPublicKey: pem(platformPair.publicKey, 'spki'),
  platformSn: '5371b7bc8a5a0a0c1ab4a5da5f4d2a37',
};

export const URLPATH = 'https://api.weixin.qq.com/wxa/business/getuserphonenumber';
export const APPID = 'wxba6223c06417af7b';

export const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;

/** What WeChat's side of an answer is made of; each part can be set to something WeChat would never send. */
export interface AnswerParts {
  plaintext: string;
  timestamp: string;
  iv: Buffer;
  /** The envelope's fields as sent (base64 of the sealed parts unless given). */
  envelope?: (sealed: { iv: string; data: string; authtag: string }) => unknown;
  /** The signed body, when it is not the JSON of the envelope. */
  body?: string;
  aad?: string;
  aesKey?: Buffer;
  headers?: Record<string, string | null>;
  signWith?: Parameters<typeof sign>[2];
  /** The signature header as sent, from the base64 of the real one. */
  signature?: (base64: string) => string;
  /** The body as sent, from the one that was signed. */
  sent?: (signed: string) => string;
}

/** An answer sealed and signed as WeChat seals its answers, with node:crypto alone. */
export function sealAnswer(parts: AnswerParts): { text: string; headers: { get(name: string): string | null } } {
  const aad = parts.aad ?? `${URLPATH}|${APPID}|${parts.timestamp}|${options.aesSn}`;
  const cipher = createCipheriv('aes-256-gcm', parts.aesKey ?? Buffer.from(options.aesKey, 'base64'), parts.iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(parts.plaintext), cipher.final()]);
  const sealed = { iv: parts.iv.toString('base64'), data: data.toString('base64'), authtag: cipher.getAuthTag().toString('base64') };
  const text = parts.body ?? JSON.stringify(parts.envelope ? parts.envelope(sealed) : sealed);
  const signature = sign(
    'sha256',
    Buffer.from(`${URLPATH}\n${APPID}\n${parts.timestamp}\n${text}`),
    parts.signWith ?? { key: platformPair.privateKey, ...PSS },
  );
  const all: Record<string, string | null> = {
    'wechatmp-appid': APPID,
    'wechatmp-timestamp': parts.timestamp,
    'wechatmp-signature': (parts.signature ?? String)(signature.toString('base64')),
    ...parts.headers,
  };
  return { text: (parts.sent ?? String)(text), headers: { get: (name) => all[name.toLowerCase()] ?? null } };
}
