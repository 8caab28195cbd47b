import vectors from '../fixtures/push-vectors.json';

/** The message-push and virtual-payment vectors of test/fixtures/push-vectors.json, typed. */
export interface PushVector {
  note: string;
  token: string;
  encodingAESKey: string;
  appId: string;
  query: Record<string, string>;
  body: string;
  message?: string;
  fields?: Record<string, string>;
  random?: string;
  padding: number;
}

export interface EncryptionVector {
  note: string;
  token: string;
  encodingAESKey: string;
  appId: string;
  random: string;
  message: string;
  encrypt: string;
  timestamp?: string;
  nonce?: string;
  msgSignature?: string;
}

export const SIGNATURES = vectors.signatures as { note: string; token: string; timestamp: string; nonce: string; signature: string; echostr?: string }[];
export const PUSHES = vectors.pushes as PushVector[];
export const ENCRYPTIONS = vectors.encryptions as EncryptionVector[];
export const WECOM_ECHO = vectors.wecomEcho;
export const VIRTUAL_PAYMENT = vectors.virtualPayment;

/** A clock standing at a push's own timestamp. */
export const at = (timestamp: string) => () => Number(timestamp) * 1000;
