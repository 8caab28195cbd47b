/**
 * The client call `wx.requestVirtualPayment`: `signData` built from an
 * order, and its two signatures.
 */
import { badRequest } from '../errors.js';
import { appKeyFor, paySignature, userStateSignature, type VirtualPaymentEnv, type VirtualPaymentKeys } from './signatures.js';

/**
 * `short_series_goods` buys an item (道具直购); `short_series_coin` tops up tokens (代币充值).
 *
 * @example
 * ```ts
 * const mode: VirtualPaymentMode = 'short_series_goods';
 * ```
 */
export type VirtualPaymentMode = 'short_series_goods' | 'short_series_coin';

/**
 * One purchase, as the server decides it. Prices are in fen (分).
 *
 * @example
 * ```ts
 * const order: VirtualPaymentOrder = { mode: 'short_series_goods', productId: 'gem_pack_1', goodsPrice: 600, buyQuantity: 1, outTradeNo: 'ord_20250101_0001', attach: 'user-42' };
 * ```
 */
export interface VirtualPaymentOrder {
  mode: VirtualPaymentMode;
  /** Items bought, or tokens topped up: a positive whole number. */
  buyQuantity: number;
  /** Only `'CNY'`. Default `'CNY'`. */
  currencyType?: 'CNY';
  /** The item (goods mode only). */
  productId?: string;
  /** Unit price in fen, as configured for the item (goods mode only). */
  goodsPrice?: number;
  /** Discounted price in fen, with `goodsPrice` only. */
  activitySellingPrice?: number;
  /** Your order number: 8 to 32 of `0-9 A-Z a-z _ - | * @`, not starting with `_`; used once. */
  outTradeNo: string;
  /** Passed back in the delivery push (`xpay_goods_deliver_notify`). */
  attach: string;
}

/**
 * An app's virtual-payment settings: its offerId, the env it pays in, its AppKeys.
 *
 * @example
 * ```ts
 * const app: VirtualPaymentApp = { offerId: '1450000000', env: 0, appKey: process.env.XPAY_APP_KEY! };
 * ```
 */
export interface VirtualPaymentApp extends VirtualPaymentKeys {
  offerId: string;
  /** Default 0 (production). */
  env?: VirtualPaymentEnv;
}

/**
 * What `wx.requestVirtualPayment` takes, besides its callbacks.
 *
 * @example
 * ```ts
 * const params: VirtualPaymentParams = buildVirtualPayment(order, app, sessionKey);
 * // in the mini-program: wx.requestVirtualPayment({ ...params, success, fail })
 * ```
 */
export interface VirtualPaymentParams {
  /** The exact text both signatures cover: pass it on unchanged. */
  signData: string;
  paySig: string;
  signature: string;
  mode: VirtualPaymentMode;
}

const OUT_TRADE_NO = /^[0-9A-Za-z\-|*@][0-9A-Za-z_\-|*@]{7,31}$/;
const MAX_TEXT = 1024;

function wholeNumber(value: unknown, field: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw badRequest(field, `${field} must be a whole number of at least ${minimum}`);
  }
  return value;
}

function text(value: unknown, field: string, allowEmpty: boolean): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '') || value.length > MAX_TEXT) {
    throw badRequest(field, `${field} must be ${allowEmpty ? 'a' : 'a non-empty'} string of at most ${MAX_TEXT} characters`);
  }
  return value;
}

/** The goods-mode fields of `signData`, checked; none in coin mode. */
function goodsFields(order: VirtualPaymentOrder): Record<string, string | number> {
  const { productId, goodsPrice, activitySellingPrice } = order;
  if (order.mode === 'short_series_coin') {
    if (productId !== undefined || goodsPrice !== undefined || activitySellingPrice !== undefined) {
      throw badRequest('productId', 'a token top-up (short_series_coin) has no productId, goodsPrice or activitySellingPrice');
    }
    return {};
  }
  const fields: Record<string, string | number> = { productId: text(productId, 'productId', false), goodsPrice: wholeNumber(goodsPrice, 'goodsPrice', 1) };
  if (activitySellingPrice !== undefined) fields.activitySellingPrice = wholeNumber(activitySellingPrice, 'activitySellingPrice', 1);
  return fields;
}

/**
 * The `signData` text of an order: JSON with `offerId` and `env` filled in,
 * fields in the order of WeChat's example. The order is checked first.
 *
 * @throws WechatError `WECHAT_BAD_REQUEST` naming the order field that is wrong
 *
 * @example
 * ```ts
 * buildSignData({ mode: 'short_series_coin', buyQuantity: 60, outTradeNo: 'topup_000000001', attach: '' }, { offerId: '1450000000', env: 0 });
 * // '{"offerId":"1450000000","buyQuantity":60,"env":0,"currencyType":"CNY","outTradeNo":"topup_000000001","attach":""}'
 * ```
 */
export function buildSignData(order: VirtualPaymentOrder, settings: { offerId: string; env: VirtualPaymentEnv }): string {
  if (order === null || typeof order !== 'object') throw badRequest('order', 'order must be an object');
  if (order.mode !== 'short_series_goods' && order.mode !== 'short_series_coin') {
    throw badRequest('mode', "mode must be 'short_series_goods' or 'short_series_coin'");
  }
  const buyQuantity = wholeNumber(order.buyQuantity, 'buyQuantity', 1);
  if (order.currencyType !== undefined && order.currencyType !== 'CNY') throw badRequest('currencyType', "currencyType must be 'CNY'");
  const goods = goodsFields(order);
  if (typeof order.outTradeNo !== 'string' || !OUT_TRADE_NO.test(order.outTradeNo)) {
    throw badRequest('outTradeNo', 'outTradeNo must be 8 to 32 of 0-9 A-Z a-z _ - | * @, not starting with _');
  }
  const attach = text(order.attach, 'attach', true);
  const { offerId, env } = settings;
  return JSON.stringify({ offerId, buyQuantity, env, currencyType: 'CNY', ...goods, outTradeNo: order.outTradeNo, attach });
}

/**
 * Everything `wx.requestVirtualPayment` needs: `signData` of the order, `paySig`
 * with the AppKey of the app's env, and `signature` with `sessionKey`, which
 * must be the user's newest.
 *
 * @throws WechatError `WECHAT_BAD_REQUEST` for a wrong order field
 * @throws TypeError for a missing AppKey or session_key
 *
 * @example
 * ```ts
 * const params = buildVirtualPayment(order, { offerId: '1450000000', appKey }, newestSessionKey);
 * res.json(params); // { signData, paySig, signature, mode }
 * ```
 */
export function buildVirtualPayment(order: VirtualPaymentOrder, app: VirtualPaymentApp, sessionKey: string): VirtualPaymentParams {
  const env = app.env ?? 0;
  if (env !== 0 && env !== 1) throw new TypeError('env must be 0 (production) or 1 (sandbox)');
  if (typeof app.offerId !== 'string' || app.offerId === '') throw new TypeError('offerId must be a non-empty string');
  const appKey = appKeyFor(app, env);
  const signData = buildSignData(order, { offerId: app.offerId, env });
  return {
    signData,
    paySig: paySignature(appKey, 'requestVirtualPayment', signData),
    signature: userStateSignature(sessionKey, signData),
    mode: order.mode,
  };
}
