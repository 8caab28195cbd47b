import { WechatError } from '../../src/errors.js';
import { errcodeToError } from '../../src/client/errcodes.js';
import { xpaySignatureFailure } from '../../src/xpay/errors.js';
import { signXpayRequest } from '../../src/xpay/server.js';
import { buildSignData, buildVirtualPayment, type VirtualPaymentOrder } from '../../src/xpay/sign-data.js';
import { appKeyFor, paySignature, userStateSignature } from '../../src/xpay/signatures.js';
import { VIRTUAL_PAYMENT } from '../push/vectors.js';

const { client, server } = VIRTUAL_PAYMENT;

describe('vectors', () => {
  it('signs the official client signData (paySig over "requestVirtualPayment&" + signData, signature with the session_key text)', () => {
    expect(paySignature(client.appKey, 'requestVirtualPayment', client.signData)).toBe(client.paySig);
    expect(userStateSignature(client.sessionKey, client.signData)).toBe(client.signature);
  });

  it('signs the official server call over its exact body, spaces included', () => {
    expect(signXpayRequest({ appKey: server.appKey }, server.uri, server.body, server.sessionKey)).toEqual({
      pay_sig: server.paySig,
      signature: server.signature,
    });
    expect(userStateSignature(server.sessionKey, server.body)).not.toBe(server.signatureWithDecodedKey);
    expect(signXpayRequest({ appKey: server.appKey }, server.uri, server.body.replaceAll(': ', ':')).pay_sig).not.toBe(server.paySig);
  });

  it('builds the official signData shape, offerId and env filled in', () => {
    const order: VirtualPaymentOrder = {
      mode: 'short_series_goods',
      buyQuantity: 1,
      productId: 'testproductId',
      goodsPrice: 10,
      outTradeNo: 'xxxxxxxx',
      attach: 'testdata',
    };
    const signData = buildSignData(order, { offerId: '123', env: 0 });
    expect(signData).toBe(client.signData.replace('"xxxxxx"', '"xxxxxxxx"'));
    const params = buildVirtualPayment(order, { offerId: '123', appKey: client.appKey }, client.sessionKey);
    expect(params).toEqual({
      signData,
      paySig: paySignature(client.appKey, 'requestVirtualPayment', signData),
      signature: userStateSignature(client.sessionKey, signData),
      mode: 'short_series_goods',
    });
  });
});

describe('keys and env', () => {
  it('signs env 1 with the sandbox key, and refuses env 1 without one', () => {
    const body = '{"openid":"o","env":1,"user_ip":"1.2.3.4"}';
    expect(signXpayRequest({ appKey: 'live', sandboxAppKey: 'sandbox' }, '/xpay/query_user_balance', body).pay_sig).toBe(
      paySignature('sandbox', '/xpay/query_user_balance', body),
    );
    expect(() => signXpayRequest({ appKey: 'live' }, '/xpay/query_user_balance', body)).toThrow(TypeError);
    expect(appKeyFor({ appKey: 'live' }, 0)).toBe('live');
    const order: VirtualPaymentOrder = { mode: 'short_series_coin', buyQuantity: 6, outTradeNo: 'coin_0000001', attach: '' };
    expect(
      JSON.parse(buildVirtualPayment(order, { offerId: '1', env: 1, appKey: 'live', sandboxAppKey: 'sandbox' }, client.sessionKey).signData),
    ).toMatchObject({ env: 1 });
    expect(() => buildVirtualPayment(order, { offerId: '1', env: 1, appKey: 'live' }, client.sessionKey)).toThrow(TypeError);
  });

  it('never signs without a session_key, or with something that is not one', () => {
    const order: VirtualPaymentOrder = { mode: 'short_series_coin', buyQuantity: 6, outTradeNo: 'coin_0000001', attach: '' };
    for (const key of [undefined, '', 'undefined', 'not-a-key', '9hAb/NEYUlkaMBEsmFgzig=', null]) {
      expect(() => buildVirtualPayment(order, { offerId: '1', appKey: 'k' }, key as unknown as string)).toThrow(TypeError);
      expect(() => signXpayRequest({ appKey: 'k' }, '/xpay/currency_pay', '{}', key === undefined ? '' : (key as string))).toThrow(TypeError);
    }
  });

  it('refuses a uri with a host or query, and a body that is not the JSON text sent', () => {
    for (const uri of ['https://api.weixin.qq.com/xpay/currency_pay', '/xpay/currency_pay?access_token=x', 'xpay/currency_pay', '']) {
      expect(() => signXpayRequest({ appKey: 'k' }, uri, '{}')).toThrow(TypeError);
    }
    for (const body of [{ env: 0 }, '[]', 'null', 'not json', '{"env":2}', '{"env":"0"}']) {
      expect(() => signXpayRequest({ appKey: 'k' }, '/xpay/currency_pay', body as string)).toThrow(TypeError);
    }
  });
});

describe('signData checks each order field', () => {
  const base: VirtualPaymentOrder = { mode: 'short_series_goods', buyQuantity: 1, productId: 'p1', goodsPrice: 600, outTradeNo: 'ord_00000001', attach: 'a' };
  const fieldOf = (order: unknown): string | undefined => {
    try {
      buildSignData(order as VirtualPaymentOrder, { offerId: '1', env: 0 });
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(WechatError);
      expect((err as WechatError).code).toBe('WECHAT_BAD_REQUEST');
      return (err as WechatError).field;
    }
  };

  it.each([
    ['mode', { mode: 'short_series' }],
    ['buyQuantity', { buyQuantity: 0 }],
    ['buyQuantity', { buyQuantity: 1.5 }],
    ['buyQuantity', { buyQuantity: '1' }],
    ['currencyType', { currencyType: 'USD' }],
    ['productId', { productId: '' }],
    ['productId', { productId: undefined }],
    ['goodsPrice', { goodsPrice: 0 }],
    ['goodsPrice', { goodsPrice: undefined }],
    ['activitySellingPrice', { activitySellingPrice: -1 }],
    ['outTradeNo', { outTradeNo: 'short7c' }],
    ['outTradeNo', { outTradeNo: '_starts_with_underscore' }],
    ['outTradeNo', { outTradeNo: 'has space 0001' }],
    ['outTradeNo', { outTradeNo: 'x'.repeat(33) }],
    ['attach', { attach: undefined }],
    ['attach', { attach: 'x'.repeat(1025) }],
  ])('refuses a wrong %s', (field, change) => {
    expect(fieldOf({ ...base, ...change })).toBe(field);
  });

  it('refuses goods fields in a token top-up, and takes the limits of outTradeNo', () => {
    expect(fieldOf({ mode: 'short_series_coin', buyQuantity: 1, productId: 'p', outTradeNo: 'ord_00000001', attach: '' })).toBe('productId');
    expect(fieldOf({ ...base, outTradeNo: '0-|*@abc' })).toBeUndefined();
    expect(fieldOf({ ...base, outTradeNo: 'a'.repeat(32) })).toBeUndefined();
    expect(fieldOf(null)).toBe('order');
  });
});

describe('errcodes', () => {
  it('says which signature an xpay answer refused', () => {
    expect(xpaySignatureFailure(268490003, '支付签名(pay_sig)校验失败')).toBe('pay_sig');
    expect(xpaySignatureFailure(268490003, '用户态签名(signature)校验失败')).toBe('signature');
    expect(xpaySignatureFailure(268490003, '签名校验失败')).toBe('unknown');
    expect(xpaySignatureFailure(268490009, 'session_key expired')).toBe('session_key');
    expect(xpaySignatureFailure(268490006, '')).toBeUndefined();
  });

  it('maps 268490003 and 268490009 to the library codes', () => {
    expect(errcodeToError('xpay/currency_pay', 268490003, 'x').code).toBe('WECHAT_SIGNATURE_INVALID');
    expect(errcodeToError('xpay/currency_pay', 268490009, 'x').code).toBe('WECHAT_SESSION_KEY_MISMATCH');
  });
});
