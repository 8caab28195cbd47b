/**
 * Virtual payment's user-state APIs: `xpay/query_user_balance`,
 * `xpay/currency_pay`, `xpay/cancel_currency_pay`. Each needs `pay_sig`
 * (the AppKey of the body's env over `uri & body`) and the user-state
 * `signature` (the user's newest session_key over the body).
 */
import { paySignature, userStateSignature } from '../xpay/signatures.js';
import { sameText } from './crypto-helpers.js';
import { parseJsonObject } from '../json.js';
import { stringField, type Reply } from './http-io.js';
import { wxError, wxOk } from './replies.js';
import { isReply, tokenApp } from './routes-wxa.js';
import type { RouteRequest, StandInState } from './state.js';
import type { TokenLedger } from './state-xpay.js';

/** A signed call, checked: its app's ledger, user, env and body fields. */
interface XpayCall {
  ledger: TokenLedger;
  openid: string;
  env: 0 | 1;
  json: Record<string, unknown>;
}

const PAY_SIG_FAILED = '支付签名(pay_sig)校验失败';
const SIGNATURE_FAILED = '用户态签名(signature)校验失败';
const SESSION_KEY_GONE = 'session_key not found or expired, login again';

/** The call's app, user and env once both signatures are right, or WeChat's errcode answer. */
function signedCall(state: StandInState, { query, body }: RouteRequest, uri: string): XpayCall | Reply {
  const app = tokenApp(state, query);
  if (isReply(app)) return app;
  const now = state.now();
  const json = parseJsonObject(body);
  if (!json) return wxError(47001, now);
  const env = json.env ?? 0;
  if (env !== 0 && env !== 1) return wxError(268490002, now, 'env must be 0 or 1');
  const appKey = env === 1 ? app.xpay?.sandboxAppKey : app.xpay?.appKey;
  if (appKey === undefined || !sameText(query.get('pay_sig') ?? '', paySignature(appKey, uri, body))) {
    return wxError(268490003, now, PAY_SIG_FAILED);
  }
  const openid = stringField(json, 'openid');
  if (!openid) return wxError(268490001, now);
  const user = app.users.get(openid);
  if (!user || user.expired) return wxError(268490009, now, SESSION_KEY_GONE);
  if (!sameText(query.get('signature') ?? '', userStateSignature(user.sessionKey, body))) return wxError(268490003, now, SIGNATURE_FAILED);
  if (!stringField(json, 'user_ip')) return wxError(268490002, now, 'user_ip is required');
  return { ledger: app.ledger, openid, env, json };
}

const positive = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** `POST /xpay/query_user_balance` `{openid, env, user_ip}`: the user's token balance. */
export function queryUserBalance(state: StandInState, request: RouteRequest): Reply {
  const call = signedCall(state, request, '/xpay/query_user_balance');
  if (isReply(call)) return call;
  const balance = call.ledger.balance(call.openid, call.env);
  return wxOk({ balance, present_balance: 0, sum_save: balance, sum_present: 0, sum_balance: balance, sum_cost: 0, first_save_flag: false });
}

/** `POST /xpay/currency_pay` `{openid, env, user_ip, amount, order_id, payitem, remark}`: spend tokens once per order_id. */
export function currencyPay(state: StandInState, request: RouteRequest): Reply {
  const call = signedCall(state, request, '/xpay/currency_pay');
  if (isReply(call)) return call;
  const { json } = call;
  const orderId = stringField(json, 'order_id');
  if (!orderId || !positive(json.amount) || typeof json.payitem !== 'string')
    return wxError(268490002, state.now(), 'order_id, amount and payitem are required');
  const result = call.ledger.pay(orderId, call.openid, call.env, json.amount);
  if (result !== 0) return wxError(result, state.now());
  return wxOk({ order_id: orderId, balance: call.ledger.balance(call.openid, call.env), used_present_amount: 0 });
}

/** `POST /xpay/cancel_currency_pay` `{openid, env, user_ip, pay_order_id, order_id, amount}`: give a payment's tokens back. */
export function cancelCurrencyPay(state: StandInState, request: RouteRequest): Reply {
  const call = signedCall(state, request, '/xpay/cancel_currency_pay');
  if (isReply(call)) return call;
  const { json } = call;
  const payOrderId = stringField(json, 'pay_order_id');
  const orderId = stringField(json, 'order_id');
  if (!payOrderId || !orderId || !positive(json.amount)) return wxError(268490002, state.now(), 'pay_order_id, order_id and amount are required');
  const result = call.ledger.cancel(payOrderId, call.openid, call.env, json.amount);
  return result === 0 ? wxOk({ order_id: orderId }) : wxError(result, state.now());
}
