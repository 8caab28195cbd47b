import { WechatApiError, WechatError, type WechatErrorCode } from '../errors.js';
import type { WechatHttp } from './http.js';

/** Errors that mean WeChat failed us (not the client): reported as `upstreamError`. */
const UPSTREAM_CODES: ReadonlySet<WechatErrorCode> = new Set([
  'WECHAT_UPSTREAM_ERROR',
  'WECHAT_UPSTREAM_TIMEOUT',
  'WECHAT_UPSTREAM_BUSY',
  'WECHAT_CONFIG_ERROR',
  'WECHAT_RATE_LIMITED',
]);

/**
 * Run one client operation (`api`) and report its failure where it
 * happens: an error that means WeChat (or our standing with it) failed is
 * emitted as `upstreamError`, with WeChat's errcode and how long it took.
 */
export async function reported<T>(http: WechatHttp, api: string, operation: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await operation();
  } catch (err) {
    if (err instanceof WechatError && UPSTREAM_CODES.has(err.code)) {
      http.emit('upstreamError', {
        code: err.code,
        ...(err.errcode !== undefined && { errcode: err.errcode }),
        api: err instanceof WechatApiError ? err.api : api,
        ms: Math.round(performance.now() - started),
      });
    }
    throw err;
  }
}
