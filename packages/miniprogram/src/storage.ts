import type { StoredSession, WxLike } from './types.js';

/**
 * The session in `wx` storage, read anew on every use so that several
 * clients (one per page, say) share it. A session that storage refuses
 * (quota full) is kept in memory instead.
 */
export interface SessionStorage {
  read(): StoredSession | null;
  write(session: StoredSession): void;
  clear(): void;
}

/** Storage of the session under `key`. */
export function createSessionStorage(wx: WxLike, key: string): SessionStorage {
  // Set when storage refused a write: the session then lives here until cleared.
  let unsaved: StoredSession | null = null;
  return {
    read() {
      if (unsaved) return unsaved;
      try {
        return toSession(wx.getStorageSync(key));
      } catch {
        return null;
      }
    },
    write(session) {
      try {
        wx.setStorageSync(key, session);
        unsaved = null;
      } catch {
        unsaved = session;
      }
    },
    clear() {
      unsaved = null;
      try {
        wx.removeStorageSync(key);
      } catch {
        // Nothing stored, nothing to clear.
      }
    },
  };
}

function toSession(value: unknown): StoredSession | null {
  if (value === null || typeof value !== 'object') return null;
  const { token, openid } = value as { token?: unknown; openid?: unknown };
  if (typeof token !== 'string' || token === '') return null;
  return { token, openid: typeof openid === 'string' ? openid : '' };
}
