/**
 * Virtual payment (虚拟支付) of one app: its AppKeys, and each user's token
 * balance and token payments, per env.
 */
import type { VirtualPaymentKeys } from '../xpay/signatures.js';

/** One token payment (`currency_pay`), as `cancel_currency_pay` finds it. */
interface TokenPayment {
  openid: string;
  amount: number;
  cancelled: boolean;
}

/** What a payment or a cancellation comes to: 0, or the errcode to answer. */
export type LedgerResult = 0 | 268490002 | 268490004 | 268490005 | 268490006;

/** The AppKeys of `virtualPayment`, checked; `undefined` when not given. */
export function xpayKeys(input: VirtualPaymentKeys | undefined, name: string): VirtualPaymentKeys | undefined {
  if (input === undefined) return undefined;
  if (input === null || typeof input !== 'object') throw new TypeError(`${name} must be an object { appKey, sandboxAppKey? }`);
  if (typeof input.appKey !== 'string' || input.appKey === '') throw new TypeError(`${name}.appKey must be a non-empty string`);
  if (input.sandboxAppKey === undefined) return { appKey: input.appKey };
  if (typeof input.sandboxAppKey !== 'string' || input.sandboxAppKey === '') throw new TypeError(`${name}.sandboxAppKey must be a non-empty string`);
  return { appKey: input.appKey, sandboxAppKey: input.sandboxAppKey };
}

/** Token balances and payments of one app, kept apart per env (0 production, 1 sandbox). */
export class TokenLedger {
  readonly #balances = new Map<string, number>();
  readonly #payments = new Map<string, TokenPayment>();

  balance(openid: string, env: number): number {
    return this.#balances.get(`${env}:${openid}`) ?? 0;
  }

  setBalance(openid: string, env: number, balance: number): void {
    this.#balances.set(`${env}:${openid}`, balance);
  }

  /** Spend `amount` tokens of the user under `orderId` (used once). */
  pay(orderId: string, openid: string, env: number, amount: number): LedgerResult {
    const key = `${env}:${orderId}`;
    if (this.#payments.has(key)) return 268490004;
    const balance = this.balance(openid, env);
    if (amount > balance) return 268490006;
    this.setBalance(openid, env, balance - amount);
    this.#payments.set(key, { openid, amount, cancelled: false });
    return 0;
  }

  /** Give back the tokens of the payment `payOrderId`, which must be this user's, for this amount. */
  cancel(payOrderId: string, openid: string, env: number, amount: number): LedgerResult {
    const payment = this.#payments.get(`${env}:${payOrderId}`);
    if (!payment || payment.openid !== openid || payment.amount !== amount) return 268490002;
    if (payment.cancelled) return 268490005;
    payment.cancelled = true;
    this.setBalance(openid, env, this.balance(openid, env) + amount);
    return 0;
  }
}
