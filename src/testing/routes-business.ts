/**
 * Newer routes of an app's access token: checkencryptedmsg, getuserriskrank, getuserencryptkey.
 */
import { randomBytes } from 'node:crypto';
import { parseJsonObject } from '../json.js';
import { stringField, type Reply } from './http-io.js';
import { wxError, wxOk } from './replies.js';
import { isReply, signedUser, tokenApp } from './routes-wxa.js';
import type { AppState, EncryptKeyInfo } from './state-apps.js';
import type { RouteRequest, StandInState } from './state.js';

const HASH = /^[0-9a-f]{64}$/;
/** Lifetime of an encrypted-channel key, seconds. */
const KEY_LIFETIME = 3600;

/** `POST /wxa/business/checkencryptedmsg` `{encrypted_msg_hash}`: whether this stand-in made that encryptedData (3 days). */
export function checkEncryptedMsg(state: StandInState, { query, body }: RouteRequest): Reply {
  const app = tokenApp(state, query);
  if (isReply(app)) return app;
  const now = state.now();
  const json = parseJsonObject(body);
  if (!json) return wxError(47001, now);
  const hash = stringField(json, 'encrypted_msg_hash');
  if (hash === undefined || !HASH.test(hash)) return wxError(40097, now);
  const made = state.encrypted.madeFor(hash, app.appId);
  if (made === undefined) return wxError(1, now, 'data not found');
  if (made === 'other-app') return wxOk({ vaild: false, create_time: 0 });
  return wxOk({ vaild: true, create_time: made });
}

/** `POST /wxa/getuserriskrank` `{appid, openid, scene, client_ip}`: the rank set for the user (0 by default), with `unoin_id` (sic). */
export function getUserRiskRank(state: StandInState, { query, body }: RouteRequest): Reply {
  const app = tokenApp(state, query);
  if (isReply(app)) return app;
  const now = state.now();
  const json = parseJsonObject(body);
  if (!json) return wxError(47001, now);
  const openid = stringField(json, 'openid');
  if (json.appid !== app.appId) return wxError(40013, now);
  if (!openid || (json.scene !== 0 && json.scene !== 1) || typeof json.client_ip !== 'string' || json.client_ip === '') return wxError(40097, now);
  const risk = app.risk.get(openid) ?? { rank: 0, unionId: 0 };
  return wxOk({ errmsg: 'getuserriskrank succ', risk_rank: risk.rank, unoin_id: risk.unionId });
}

/** The user's last 3 keys, a new one made when the newest has expired. */
function keysOf(app: AppState, openid: string, nowSeconds: number): EncryptKeyInfo[] {
  const keys = app.encryptKeys.get(openid) ?? [];
  const newest = keys[keys.length - 1];
  if (!newest || newest.create_time + KEY_LIFETIME <= nowSeconds) {
    keys.push({
      encrypt_key: randomBytes(16).toString('base64'),
      version: (newest?.version ?? 0) + 1,
      iv: randomBytes(8).toString('hex'),
      create_time: nowSeconds,
    });
    if (keys.length > 3) keys.shift();
  }
  app.encryptKeys.set(openid, keys);
  return keys;
}

/** `POST /wxa/business/getuserencryptkey?openid&signature&sig_method`: everything in the query; a body is 87009. */
export function getUserEncryptKey(state: StandInState, { query, body }: RouteRequest): Reply {
  const signed = signedUser(state, query);
  if (isReply(signed)) return signed;
  const now = Math.floor(state.now() / 1000);
  if (body !== '') return wxError(87009, state.now());
  const keys = keysOf(signed.app, signed.user.openid, now);
  return wxOk({ key_info_list: [...keys].reverse().map((k) => ({ ...k, expire_in: Math.max(0, k.create_time + KEY_LIFETIME - now) })) });
}
