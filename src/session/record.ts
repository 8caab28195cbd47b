import { parseJsonObject } from '../json.js';

/** The JSON kept in the store for one session. Short keys keep it small. */
export interface SessionRecord {
  /** Format version. */
  v: 1;
  /** openid */
  o: string;
  /** unionid, when WeChat gave one */
  u?: string;
  /** session_key (base64 text as WeChat gave it) */
  k: string;
  /** created, seconds since the epoch */
  c: number;
  /** last renewal, seconds since the epoch: the session expires at `r + ttl` */
  r: number;
  /** the app's own fields */
  d?: Record<string, unknown>;
}

export const RECORD_VERSION = 1;

export function encodeRecord(record: SessionRecord): string {
  return JSON.stringify(record);
}

/** Parse a stored value; anything that is not a record of ours reads as `undefined`. */
export function decodeRecord(value: string): SessionRecord | undefined {
  const r = parseJsonObject(value) as Partial<SessionRecord> | undefined;
  if (!r || r.v !== RECORD_VERSION || typeof r.o !== 'string' || typeof r.k !== 'string') return undefined;
  if (typeof r.c !== 'number' || typeof r.r !== 'number') return undefined;
  if (r.u !== undefined && typeof r.u !== 'string') return undefined;
  if (r.d !== undefined && (r.d === null || typeof r.d !== 'object' || Array.isArray(r.d))) return undefined;
  return r as SessionRecord;
}

/** Parse an openid's session index: the token hashes of its sessions, oldest first. */
export function decodeIndex(value: string | null | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return [];
  }
}
