import { WechatError } from '../errors.js';
import type { Emit } from '../events.js';
import type { WechatLogger } from '../log.js';
import type { GuardedStore } from './guarded-store.js';
import { withKeyLock } from './key-lock.js';
import { WechatSession, type SessionBackend } from './handle.js';
import { decodeIndex, decodeRecord, encodeRecord, readRecord, RECORD_VERSION, type SessionRecord } from './record.js';
import { createToken, hashToken, isTokenShaped } from './token.js';
import { TokenKeys } from './token-keys.js';

export interface SessionPolicy {
  /** Key namespace: the mini-program's appId. */
  appId: string;
  /** Seconds of inactivity before a session lapses. */
  ttl: number;
  /** Seconds between two renewals of a busy session. */
  renewAfter: number;
  /** A new login revokes the openid's earlier sessions. */
  singleSession: boolean;
  /** Most sessions one openid keeps when `singleSession` is off. */
  maxSessionsPerUser: number;
  now: () => number;
}

export interface Identity {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

function invalid(message = 'The session token is unknown, expired or revoked'): WechatError {
  return new WechatError('WECHAT_SESSION_INVALID', message);
}

/** Creates, resolves, renews and revokes sessions in a store. */
export class SessionManager implements SessionBackend {
  private readonly sessionPrefix: string;
  private readonly userPrefix: string;
  /** Store keys of session tokens, recent ones remembered. */
  private readonly keys: TokenKeys;

  constructor(
    private readonly store: GuardedStore,
    private readonly policy: SessionPolicy,
    private readonly log: WechatLogger,
    private readonly emit: Emit,
  ) {
    this.sessionPrefix = `${policy.appId}:s:`;
    this.userPrefix = `${policy.appId}:u:`;
    this.keys = new TokenKeys(this.sessionPrefix);
  }

  private nowSeconds(): number {
    return Math.floor(this.policy.now() / 1000);
  }

  /** Start a session for a freshly exchanged login; revokes earlier ones per policy. */
  async create(identity: Identity): Promise<WechatSession> {
    const token = createToken();
    const hash = hashToken(token);
    const now = this.nowSeconds();
    const record: SessionRecord = { v: RECORD_VERSION, o: identity.openid, k: identity.sessionKey, c: now, r: now };
    if (identity.unionid) record.u = identity.unionid;
    await this.store.set(this.sessionPrefix + hash, encodeRecord(record), this.policy.ttl);
    await this.index(identity.openid, hash);
    return this.handle(token, hash, record);
  }

  /**
   * Resolve a token to its session, renewing it when due (unless `renew` is
   * false); throws `WECHAT_SESSION_INVALID`.
   */
  async resolve(token: string, renew = true): Promise<WechatSession> {
    return this.resolveNow(token, renew);
  }

  /**
   * {@link resolve}, answered synchronously when the store reads in process
   * (the memory store) and no renewal is due: the session itself, or a
   * promise of it. Throws (or rejects) `WECHAT_SESSION_INVALID`.
   */
  resolveNow(token: string, renew = true): WechatSession | Promise<WechatSession> {
    const { hash, key } = this.keys.of(token);
    const value = this.store.read(key);
    if (typeof value === 'object' && value !== null) {
      return value.then((found) => this.found(token, hash, key, found, renew));
    }
    return this.found(token, hash, key, value, renew);
  }

  /** The session for the value read under `key`; renewed first when due. */
  private found(token: string, hash: string, key: string, value: string | null | undefined, renew: boolean): WechatSession | Promise<WechatSession> {
    if (value === undefined || value === null) throw invalid();
    const record = readRecord(value);
    if (!record) {
      this.log.warn({ event: 'store.corrupt', key: this.sessionPrefix + '…' }, 'ignored a stored value that is not a session');
      throw invalid();
    }
    const now = this.nowSeconds();
    if (now >= record.r + this.policy.ttl) {
      this.store.destroy(key).catch(() => undefined);
      throw invalid('The session has expired');
    }
    if (renew && now - record.r >= this.policy.renewAfter) {
      return this.renew(key, record, now).then((renewed) => this.handle(token, hash, renewed));
    }
    return this.handle(token, hash, record);
  }

  /**
   * Renew a session resolved with `renew` false, once the request that used
   * it succeeded. Resolves the handle to use from then on; never rejects.
   */
  async renewIfDue(session: WechatSession): Promise<WechatSession> {
    const now = this.nowSeconds();
    if (!this.renewalDue(session, now)) return session;
    const hash = hashToken(session.token);
    const key = this.sessionPrefix + hash;
    const value = await this.store.get(key).catch(() => undefined);
    const record = value ? readRecord(value) : undefined;
    if (!record || record.o !== session.openid || now - record.r < this.policy.renewAfter) return session;
    const renewed = this.handle(session.token, hash, await this.renew(key, record, now));
    if (session.phone) renewed.phone = session.phone;
    return renewed;
  }

  /** Whether `session` was last renewed `renewAfter` seconds ago or more (a renewal would write). */
  renewalDue(session: WechatSession, now = this.nowSeconds()): boolean {
    return now - (session.expiresAt / 1000 - this.policy.ttl) >= this.policy.renewAfter;
  }

  /** End every session of `openid` ("log out everywhere"). Resolves how many were ended. */
  async revokeAll(openid: string): Promise<number> {
    const indexKey = this.userPrefix + openid;
    const entries = decodeIndex(await this.store.get(indexKey));
    await Promise.all(entries.map((hash) => this.store.destroy(this.sessionPrefix + hash)));
    await this.store.destroy(indexKey);
    this.emit('revoke', { openid, sessions: entries.length, reason: 'revokeAll' });
    return entries.length;
  }

  /** End the session a token names. */
  async revokeToken(token: string): Promise<void> {
    if (!isTokenShaped(token)) return;
    await this.store.destroy(this.sessionPrefix + hashToken(token));
  }

  /** A fresh handle on the same session (each request mutates its own `req.wechat`). */
  copy(session: WechatSession): WechatSession {
    return this.handle(session.token, hashToken(session.token), {
      v: RECORD_VERSION,
      o: session.openid,
      u: session.unionid,
      k: session.sessionKey,
      c: 0,
      r: session.expiresAt / 1000 - this.policy.ttl,
      d: { ...(session.data as Record<string, unknown>) },
    });
  }

  async saveData(hash: string, data: Record<string, unknown>): Promise<void> {
    const key = this.sessionPrefix + hash;
    const value = await this.store.get(key);
    const record = value ? decodeRecord(value) : undefined;
    if (!record) throw invalid();
    record.d = data;
    const remaining = record.r + this.policy.ttl - this.nowSeconds();
    if (remaining <= 0) throw invalid('The session has expired');
    await this.store.replace(key, encodeRecord(record), remaining);
  }

  async destroyHash(hash: string): Promise<void> {
    await this.store.destroy(this.sessionPrefix + hash);
  }

  private handle(token: string, hash: string, record: Readonly<SessionRecord>): WechatSession {
    return new WechatSession(
      {
        openid: record.o,
        unionid: record.u,
        sessionKey: record.k,
        token,
        hash,
        expiresAt: (record.r + this.policy.ttl) * 1000,
        data: record.d,
      },
      this,
    );
  }

  /** Write `record` renewed at `now`; resolves the renewed record (records read are shared: never changed in place). */
  private async renew(key: string, record: Readonly<SessionRecord>, now: number): Promise<SessionRecord> {
    const renewed: SessionRecord = { ...record, r: now };
    try {
      await this.store.replace(key, encodeRecord(renewed), this.policy.ttl);
      await this.renewIndex(renewed.o);
      this.emit('renew', { openid: renewed.o });
    } catch {
      // The session resolved; a failed renewal only means it lapses sooner.
      this.log.warn({ event: 'session.renew_failed', openid: renewed.o }, 'could not renew session');
    }
    return renewed;
  }

  /** Keep the openid's index alive as long as its longest-lived session. */
  private async renewIndex(openid: string): Promise<void> {
    const indexKey = this.userPrefix + openid;
    const touched = this.store.touch(indexKey, this.policy.ttl);
    if (touched) return touched;
    const value = await this.store.get(indexKey);
    if (value) await this.store.set(indexKey, value, this.policy.ttl);
  }

  /** Record `hash` under its openid, revoking or trimming earlier sessions per policy. */
  private index(openid: string, hash: string): Promise<void> {
    return withKeyLock(this.store, `${this.userPrefix}${openid}:lock`, () => this.updateIndex(openid, hash));
  }

  private async updateIndex(openid: string, hash: string): Promise<void> {
    const indexKey = this.userPrefix + openid;
    const previous = decodeIndex(await this.store.get(indexKey));
    const keep = this.policy.singleSession ? 0 : this.policy.maxSessionsPerUser - 1;
    const cut = Math.max(0, previous.length - keep);
    const revoked = previous.slice(0, cut);
    const kept = previous.slice(cut);
    kept.push(hash);
    await Promise.all(revoked.map((old) => this.store.destroy(this.sessionPrefix + old)));
    await this.store.set(indexKey, JSON.stringify(kept), this.policy.ttl);
    if (revoked.length > 0) this.emit('revoke', { openid, sessions: revoked.length, reason: 'newLogin' });
  }
}
