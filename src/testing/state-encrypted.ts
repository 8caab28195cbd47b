/**
 * The phone-number encryptedData the stand-in produced, as `checkencryptedmsg`
 * knows it: by the SHA-256 hex of its base64 text, for 3 days.
 */
import { createHash } from 'node:crypto';

/** How long WeChat vouches for encryptedData it produced. */
const KEPT_MS = 3 * 24 * 3600 * 1000;

/** The hash `checkencryptedmsg` takes: SHA-256 hex of the base64 text. */
export function encryptedMsgHash(encryptedData: string): string {
  return createHash('sha256').update(encryptedData, 'utf8').digest('hex');
}

export class EncryptedBook {
  readonly #made = new Map<string, { appId: string; createdAt: number }>();

  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Remember encryptedData made for `appId` now. */
  add(encryptedData: string, appId: string): void {
    const now = this.#now();
    for (const [hash, entry] of this.#made) if (entry.createdAt + KEPT_MS <= now) this.#made.delete(hash);
    this.#made.set(encryptedMsgHash(encryptedData), { appId, createdAt: now });
  }

  /** When the encryptedData of this hash was made for `appId` within 3 days: its Unix time; else undefined. */
  madeFor(hash: string, appId: string): number | 'other-app' | undefined {
    const entry = this.#made.get(hash);
    if (!entry || entry.createdAt + KEPT_MS <= this.#now()) return undefined;
    return entry.appId === appId ? Math.floor(entry.createdAt / 1000) : 'other-app';
  }
}
