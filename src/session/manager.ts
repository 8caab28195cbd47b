import { WechatError } from '../errors.js';
import type { Emit } from '../events.js';
import type { WechatLogger } from '../log.js';
import type { SessionPolicy } from '../options/config.js';
import type { GuardedStore } from './guarded-store.js';
import { WechatSession, type SessionBackend } from './handle.js';
import { withKeyLock, type KeyLockSettings } from './key-lock.js';
import { decodeIndex, decodeRecord, encodeRecord, RECORD_VERSION, type SessionRecord } from './record.js';
import { createToken, hashToken, isTokenShaped } from './token.js';

/** Who logged in: a mini-program user (`openid`), or a WeCom member (the userid, kept as `openid` here). */
export interface Identity {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

/** Whose sessions a manager keeps: one mini-program's (by AppID) or one WeCom corp's (by CorpID). */
export interface Realm {
  kind: 'app' | 'wecom';
  id: string;
}

/** The per-openid lock: held for a few store calls, so short. */
const INDEX_LOCK: KeyLockSettings = { leaseMs: 5000, waitMs: 2000 };

function invalid(message = 'The session token is unknown, expired or revoked'): WechatError {
  return new WechatError('WECHAT_SESSION_INVALID', message);
}

/**
 * Creates, resolves, renews and revokes the sessions of one realm (a
 * mini-program, or a WeCom corp) in a store. Keys: the session of a token
 * under `<realm>:s:<hash of the token>`, the index of an openid's (or
 * userid's) sessions under `<realm>:u:<openid>`, and the lock that guards
 * that index (and revocations) under `<realm>:l:<openid>`.
 */
export class SessionManager implements SessionBackend {
  readonly #store: GuardedStore;
  readonly realm: Realm;
  readonly #policy: SessionPolicy;
  readonly #log: WechatLogger;
  readonly #emit: Emit;
  readonly #sessionPrefix: string;
  readonly #userPrefix: string;
  readonly #lockPrefix: string;

  constructor(store: GuardedStore, realm: Realm, policy: SessionPolicy, log: WechatLogger, emit: Emit) {
    this.#store = store;
    this.realm = realm;
    this.#policy = policy;
    this.#log = log;
    this.#emit = emit;
    this.#sessionPrefix = `${realm.id}:s:`;
    this.#userPrefix = `${realm.id}:u:`;
    this.#lockPrefix = `${realm.id}:l:`;
  }

  #nowSeconds(): number {
    return Math.floor(this.#policy.now() / 1000);
  }

  /** Start a session for a freshly exchanged login; revokes earlier ones per policy. */
  async create(identity: Identity): Promise<WechatSession> {
    const token = createToken();
    const hash = hashToken(token);
    const now = this.#nowSeconds();
    const record: SessionRecord = { v: RECORD_VERSION, o: identity.openid, k: identity.sessionKey, c: now, r: now };
    if (identity.unionid) record.u = identity.unionid;
    await this.#store.set(this.#sessionPrefix + hash, encodeRecord(record), this.#policy.ttl);
    await this.#locked(identity.openid, () => this.#addToIndex(identity.openid, hash));
    return this.#handle(token, hash, record);
  }

  /**
   * The session of a token, renewed first when due unless `renew` is false;
   * throws `WECHAT_SESSION_INVALID`.
   */
  async resolve(token: string, renew: boolean): Promise<WechatSession> {
    if (!isTokenShaped(token)) throw invalid('The session token is malformed');
    const hash = hashToken(token);
    const key = this.#sessionPrefix + hash;
    const value = await this.#store.get(key);
    if (value === undefined || value === null) throw invalid();
    const record = decodeRecord(value);
    if (!record) {
      this.#log.warn({ event: 'store.corrupt', key: `${this.#sessionPrefix}…` }, 'ignored a stored value that is not a session');
      throw invalid();
    }
    const now = this.#nowSeconds();
    if (now >= record.r + this.#policy.ttl) {
      this.#store.destroy(key).catch(() => undefined);
      throw invalid('The session has expired');
    }
    if (renew && this.#due(record.r, now)) record.r = await this.#renew(key, hash, record, now);
    return this.#handle(token, hash, record);
  }

  /**
   * Renew a session resolved with `renew` false, once the request that used
   * it succeeded. Resolves the handle to use from then on; never rejects.
   */
  async renewIfDue(session: WechatSession): Promise<WechatSession> {
    const now = this.#nowSeconds();
    if (!this.renewalDue(session, now)) return session;
    const hash = hashToken(session.token);
    const key = this.#sessionPrefix + hash;
    const value = await this.#store.get(key).catch(() => undefined);
    const record = value ? decodeRecord(value) : undefined;
    if (!record || record.o !== session.subject || !this.#due(record.r, now)) return session;
    record.r = await this.#renew(key, hash, record, now);
    const renewed = this.#handle(session.token, hash, record);
    renewed.phone = session.phone;
    return renewed;
  }

  /** Whether a renewal of `session` would write now. */
  renewalDue(session: WechatSession, now = this.#nowSeconds()): boolean {
    return this.#due(session.expiresAt / 1000 - this.#policy.ttl, now);
  }

  #due(renewedAt: number, now: number): boolean {
    return this.#store.canReplace && now - renewedAt >= this.#policy.renewAfter;
  }

  /**
   * End every session of `openid` ("log out everywhere"), under the lock a
   * login takes to index its session, so a login racing the revocation is
   * either ended by it or indexed after it. Resolves how many were ended.
   */
  async revokeAll(openid: string): Promise<number> {
    const ended = await this.#locked(openid, async () => {
      const indexKey = this.#userPrefix + openid;
      const entries = decodeIndex(await this.#store.get(indexKey));
      await Promise.all(entries.map((hash) => this.#store.destroy(this.#sessionPrefix + hash)));
      await this.#store.destroy(indexKey);
      return entries.length;
    });
    this.#emit('revoke', { openid, sessions: ended, reason: 'revokeAll' });
    return ended;
  }

  /** The session_key of the openid's newest session, if it has one (for a reset with WeChat, which needs the current key). */
  async latestSessionKey(openid: string): Promise<string | undefined> {
    const entries = decodeIndex(await this.#store.get(this.#userPrefix + openid));
    for (const hash of entries.reverse()) {
      const value = await this.#store.get(this.#sessionPrefix + hash);
      const record = value ? decodeRecord(value) : undefined;
      if (record?.o === openid) return record.k;
    }
    return undefined;
  }

  /** A fresh handle on the same session (each request mutates its own `req.wechat`). */
  copy(session: WechatSession): WechatSession {
    return this.#handle(session.token, hashToken(session.token), {
      v: RECORD_VERSION,
      o: session.subject,
      u: session.unionid,
      k: session.sessionKey,
      c: 0,
      r: session.expiresAt / 1000 - this.#policy.ttl,
      d: { ...(session.data as Record<string, unknown>) },
    });
  }

  async saveData(hash: string, data: Record<string, unknown>): Promise<void> {
    const key = this.#sessionPrefix + hash;
    const value = await this.#store.get(key);
    const record = value ? decodeRecord(value) : undefined;
    if (!record) throw invalid();
    record.d = data;
    const remaining = record.r + this.#policy.ttl - this.#nowSeconds();
    if (remaining <= 0) throw invalid('The session has expired');
    // Overwrite only: a session ended meanwhile stays ended.
    await (this.#store.replace(key, encodeRecord(record), remaining) ?? this.#store.set(key, encodeRecord(record), remaining));
  }

  async destroyHash(hash: string): Promise<void> {
    await this.#store.destroy(this.#sessionPrefix + hash);
  }

  #handle(token: string, hash: string, record: SessionRecord): WechatSession {
    const { o: openid, u: unionid, k: sessionKey, d: data } = record;
    const expiresAt = (record.r + this.#policy.ttl) * 1000;
    return new WechatSession({ realm: this.realm, subject: openid, unionid, sessionKey, token, hash, expiresAt, data }, this);
  }

  /** Write `record` renewed at `now` (overwrite only) and keep its openid's index; resolves the renewal time in force. */
  async #renew(key: string, hash: string, record: SessionRecord, now: number): Promise<number> {
    try {
      await this.#store.replace(key, encodeRecord({ ...record, r: now }), this.#policy.ttl);
      await this.#keepIndexed(record.o, hash);
      this.#emit('renew', { openid: record.o });
      return now;
    } catch {
      // The session resolved; a failed renewal only means it lapses sooner.
      this.#log.warn({ event: 'session.renew_failed', openid: record.o }, 'could not renew session');
      return record.r;
    }
  }

  /**
   * Keep the openid's index alive as long as its sessions, and put `hash`
   * back when the index lost it (a store that evicts by recency drops the
   * index, read only at login and renewal, long before a busy session).
   */
  async #keepIndexed(openid: string, hash: string): Promise<void> {
    const indexKey = this.#userPrefix + openid;
    const entries = decodeIndex(await this.#store.get(indexKey));
    if (!entries.includes(hash)) return this.#locked(openid, () => this.#addToIndex(openid, hash, false));
    await (this.#store.touch(indexKey, this.#policy.ttl) ?? this.#store.set(indexKey, JSON.stringify(entries), this.#policy.ttl));
  }

  #locked<T>(openid: string, work: () => Promise<T>): Promise<T> {
    return withKeyLock(this.#store, this.#lockPrefix + openid, INDEX_LOCK, work);
  }

  /** Record `hash` under its openid; a new login (`revoke`) also ends or trims earlier sessions per policy. */
  async #addToIndex(openid: string, hash: string, revoke = true): Promise<void> {
    const indexKey = this.#userPrefix + openid;
    const previous = decodeIndex(await this.#store.get(indexKey)).filter((entry) => entry !== hash);
    const keep = !revoke ? previous.length : this.#policy.singleSession ? 0 : this.#policy.maxSessionsPerUser - 1;
    const cut = Math.max(0, previous.length - keep);
    const revoked = previous.slice(0, cut);
    const kept = [...previous.slice(cut), hash];
    await Promise.all(revoked.map((old) => this.#store.destroy(this.#sessionPrefix + old)));
    await this.#store.set(indexKey, JSON.stringify(kept), this.#policy.ttl);
    if (revoked.length > 0) this.#emit('revoke', { openid, sessions: revoked.length, reason: 'newLogin' });
  }
}
