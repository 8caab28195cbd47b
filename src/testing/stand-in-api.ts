/**
 * The public object of a running stand-in, over its state.
 */
import type { FaultBook } from './faults.js';
import { phonePayload, userInfoPayload } from './payloads.js';
import type { PushSettings } from './push-build.js';
import { sendPush } from './push-send.js';
import type { AppState } from './state-apps.js';
import type { StandInState } from './state.js';
import type { StandInUser } from './state-users.js';
import type { WechatStandIn } from './types.js';

function knownUser(state: StandInState, openid: string, appId: string | undefined): StandInUser {
  const user = state.user(openid, appId);
  if (!user) throw new Error('unknown openid: issue a login code for this user (of this app) first');
  return user;
}

function servedApp(state: StandInState, appId: string | undefined): AppState {
  const app = state.app(appId ?? state.appId);
  if (!app) throw new TypeError(`unknown appId ${String(appId)}`);
  return app;
}

function pushSettingsOf(state: StandInState, appId: string | undefined): PushSettings {
  const settings = servedApp(state, appId).push;
  if (!settings) throw new TypeError('this app has no push settings: give the stand-in `push` (or `apps[].push`)');
  return settings;
}

/** The {@link WechatStandIn} of `state`, served at `url`. */
export function buildStandIn(state: StandInState, faults: FaultBook, url: string, close: () => Promise<void>): WechatStandIn {
  const context = (openid: string, appId?: string) => ({
    sessionKey: knownUser(state, openid, appId).sessionKey,
    appId: appId ?? state.appId,
    nowMs: state.now(),
  });
  return {
    url,
    appId: state.appId,
    appSecret: state.appSecret,
    componentAppId: state.component?.appId,
    corpId: state.corp?.corpId,
    corpSecret: state.corp?.corpSecret,
    issueLoginCode: (user) => state.issueLoginCode(user),
    issueWecomCode: (user) => state.issueWecomCode(user),
    get componentAccessToken() {
      return state.componentToken();
    },
    authorizerAccessToken: (appId) => state.authorizerToken(appId),
    issuePhoneCode: (openid, phone, opts) => state.issuePhoneCode(openid, phone, opts?.appId),
    encryptPhone: (openid, phone, opts) => {
      const where = context(openid, opts?.appId);
      const payload = phonePayload({ ...where, appId: opts?.watermarkAppId ?? where.appId }, phone);
      state.encrypted.add(payload.encryptedData, where.appId);
      return payload;
    },
    encryptUserInfo: (openid, info, opts) => userInfoPayload(context(openid, opts?.appId), knownUser(state, openid, opts?.appId), info),
    sessionKeyOf: (openid, appId) => {
      const user = state.user(openid, appId);
      return user?.expired ? undefined : user?.sessionKey;
    },
    wecomSessionKeyOf: (userId, corpId) => (corpId === undefined || corpId === state.corp?.corpId ? state.corp?.users.get(userId)?.sessionKey : undefined),
    fail: (mode, opts) => faults.add(mode, opts),
    heal: () => faults.heal(),
    get calls() {
      return state.calls.totals();
    },
    get callsByApp() {
      return state.calls.perApp();
    },
    resetCalls: () => state.calls.reset(),
    invalidateAccessTokens: () => state.revokeAllTokens(),
    setRiskRank: (openid, rank, opts) => {
      if (!Number.isInteger(rank) || rank < 0 || rank > 4) throw new TypeError('rank must be a whole number from 0 to 4');
      servedApp(state, opts?.appId).risk.set(openid, { rank, unionId: opts?.unionId ?? 0 });
    },
    omitPhoneInfo: (times = 1) => {
      if (!Number.isInteger(times) || times < 0) throw new TypeError('times must be a non-negative integer');
      state.omitPhoneInfoLeft = times;
    },
    sendPush: (target, message, options) => sendPush({ settings: (appId) => pushSettingsOf(state, appId), now: state.now }, target, message, options),
    setTokenBalance: (openid, balance, opts) => {
      if (!Number.isSafeInteger(balance) || balance < 0) throw new TypeError('balance must be a non-negative whole number of tokens');
      const env = opts?.env ?? 0;
      if (env !== 0 && env !== 1) throw new TypeError('env must be 0 or 1');
      servedApp(state, opts?.appId).ledger.setBalance(openid, env, balance);
    },
    expireSessionKey: (openid, opts) => {
      if (!servedApp(state, opts?.appId).users.expire(openid)) throw new Error('unknown openid: issue a login code for this user (of this app) first');
    },
    close,
  };
}
