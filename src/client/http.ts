import { WechatError } from '../errors.js';
import type { Emit } from '../events.js';
import { parseJsonObject } from '../json.js';
import type { WechatLogger } from '../log.js';
import type { HttpSettings } from '../options/config.js';
import { AnswerTooLarge, MAX_ANSWER_BYTES, readCapped } from './answer-body.js';
import { errcodeToError } from './errcodes.js';
import { CallLimiter } from './limiter.js';

/** One client's way to WeChat: its HTTP settings, with its log, the emitter of its failures and the limiter of its calls. */
export interface WechatHttp extends HttpSettings {
  log: WechatLogger;
  emit: Emit;
  limiter: CallLimiter;
}

/** A client's way to WeChat over `settings`, with a call limiter of its own. */
export function wechatHttp(settings: HttpSettings, runtime: { log: WechatLogger; emit: Emit }): WechatHttp {
  return { ...settings, log: runtime.log, emit: runtime.emit, limiter: new CallLimiter(settings.maxConcurrentCalls, settings.maxQueuedCalls) };
}

export interface WechatCall {
  /** Short API name for errors and logs, e.g. `jscode2session`. */
  api: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Seals each attempt and opens its answer (API security, see signed-call.ts); the body is then the sealed one. */
  envelope?: CallEnvelope;
}

/** How a signed call wraps one attempt: `urlpath` is the attempt's URL without its query (primary or backup). */
export interface CallEnvelope {
  seal(urlpath: string): { body: string; headers: Record<string, string> };
  /** The answer's JSON once verified and decrypted; throws a `WechatError` otherwise. */
  open(urlpath: string, headers: Headers, text: string): WechatJson;
}

export type WechatJson = Record<string, unknown>;

const RETRYABLE = Symbol('retryable');
/** A failed attempt worth another; `unsent` when it never reached the server (the backup may take it). */
type Attempt = { [RETRYABLE]: true; error: WechatError; unsent?: boolean };

/**
 * System errors of a request that never reached the server: refused, no
 * route, no such host, connect timeout, TLS refused. A reset or a dropped
 * answer is not among them: the server may have acted on the request (a
 * login code may be spent), so those are never sent elsewhere.
 */
const UNSENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_.*|CERT_.*|UNABLE_TO_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/;

const upstream = (api: string, message: string, cause?: unknown): WechatError =>
  new WechatError('WECHAT_UPSTREAM_ERROR', `WeChat ${api}: ${message}`, { cause });

/** Strip a fetch failure to what is safe to keep: its name and system error code, never a URL. */
function safeCause(err: unknown): { name: string; code?: string } {
  const e = err as { name?: string; cause?: { code?: string } };
  return { name: e?.name ?? 'Error', code: e?.cause?.code };
}

/** Whether fetch refused a redirect (`redirect: 'error'`): Node's fetch says "unexpected redirect" in the cause. */
function refusedRedirect(err: unknown): boolean {
  const message = (err as { cause?: { message?: unknown } })?.cause?.message;
  return typeof message === 'string' && /redirect/i.test(message);
}

/** Why an attempt was aborted: it ran past its timeout (a `TimeoutError`, as `AbortSignal.timeout` would say). */
const timedOut = (): DOMException => new DOMException('The operation timed out', 'TimeoutError');

async function attempt(settings: WechatHttp, call: WechatCall, url: string): Promise<WechatJson | Attempt> {
  // A timer of our own, cleared as soon as the answer is read: `AbortSignal.timeout` would leave one
  // running (and a signal alive) for the whole timeout after every call.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timedOut()), settings.timeout);
  try {
    return await exchangeOnce(settings, call, url, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function exchangeOnce(settings: WechatHttp, call: WechatCall, url: string, signal: AbortSignal): Promise<WechatJson | Attempt> {
  let response: Response;
  const urlpath = url.split('?')[0]!;
  const sealed = call.envelope?.seal(urlpath);
  const body = sealed?.body ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  try {
    response = await settings.fetch(url, {
      method: call.method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json', ...sealed?.headers },
      body,
      // WeChat never redirects: one that does is not followed (it would re-send the AppSecret elsewhere) nor retried.
      redirect: 'error',
      signal,
    });
  } catch (err) {
    if (refusedRedirect(err)) throw upstream(call.api, 'answered with a redirect, which is never followed');
    const cause = safeCause(err);
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') {
      throw new WechatError('WECHAT_UPSTREAM_TIMEOUT', `WeChat ${call.api} did not answer within ${settings.timeout} ms`, { cause });
    }
    return { [RETRYABLE]: true, error: upstream(call.api, 'could not be reached', cause), unsent: cause.code !== undefined && UNSENT.test(cause.code) };
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined); // a fetch that hands redirects back
    throw upstream(call.api, `answered with a redirect (HTTP ${response.status}), which is never followed`);
  }
  let text: string;
  try {
    text = await readCapped(response);
  } catch (err) {
    if (err instanceof AnswerTooLarge) throw upstream(call.api, `answer larger than ${MAX_ANSWER_BYTES} bytes`);
    const cause = safeCause(err);
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') {
      throw new WechatError('WECHAT_UPSTREAM_TIMEOUT', `WeChat ${call.api} did not finish answering within ${settings.timeout} ms`, { cause });
    }
    return { [RETRYABLE]: true, error: upstream(call.api, 'connection dropped mid-answer', cause) };
  }
  if (response.status >= 500) return { [RETRYABLE]: true, error: upstream(call.api, `HTTP ${response.status}`) };
  const answer = call.envelope ? call.envelope.open(urlpath, response.headers, text) : parseAnswer(call.api, response.status, text);
  const errcode = answer.errcode === undefined ? 0 : Number(answer.errcode);
  if (errcode === 0) return answer;
  const error = errcodeToError(call.api, errcode, String(answer.errmsg ?? ''));
  if (errcode === -1) return { [RETRYABLE]: true, error };
  throw error;
}

/** A plain answer's JSON object; an upstream error for anything else. */
export function parseAnswer(api: string, status: number, text: string): WechatJson {
  const json = parseJsonObject(text);
  if (!json) throw upstream(api, `answer is not a JSON object (HTTP ${status})`);
  return json;
}

function backoff(settings: WechatHttp, retry: number): Promise<void> {
  const base = settings.retryDelay * 2 ** retry;
  const delay = Math.min(base * (0.5 + Math.random()), 5000);
  return new Promise((resolve) => setTimeout(resolve, delay));
}

/**
 * Call a WeChat API: a timeout per attempt, bounded retries with exponential
 * backoff and jitter for "system busy" (-1), 5xx and network failures, and
 * every errcode turned into a typed error. Rate limits (45011), timeouts,
 * redirects and answers over {@link MAX_ANSWER_BYTES} are never retried here.
 * Each attempt takes a place in the client's {@link CallLimiter} first.
 */
export async function callWechat(settings: WechatHttp, call: WechatCall): Promise<WechatJson> {
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  const url = `${settings.baseUrl}${call.path}${query}`;
  let backup = settings.backupBaseUrl && `${settings.backupBaseUrl}${call.path}${query}`;
  for (let retry = 0; ; retry++) {
    const started = Date.now();
    let outcome: WechatJson | Attempt;
    try {
      outcome = await settings.limiter.run(call.api, settings.timeout, () => attempt(settings, call, url));
      if (RETRYABLE in outcome && outcome.unsent && backup) {
        // Never reached WeChat: once, at once, to the backup domain (it serves the same APIs).
        settings.log.warn({ event: 'wechat.failover', api: call.api, code: outcome.error.code }, 'WeChat unreachable: trying the backup domain');
        const other = backup;
        backup = undefined;
        outcome = await settings.limiter.run(call.api, settings.timeout, () => attempt(settings, call, other));
      }
    } catch (err) {
      // "Code been used" after a retry of ours: our own earlier attempt used it.
      if (retry > 0 && (err as WechatError).errcode === 40163) throw upstream(call.api, 'the code was used by an attempt that failed in transit');
      throw err;
    }
    if (!(RETRYABLE in outcome)) return outcome;
    settings.log.warn(
      { event: 'wechat.retryable', api: call.api, code: outcome.error.code, errcode: outcome.error.errcode, attempt: retry + 1, ms: Date.now() - started },
      'WeChat call failed',
    );
    if (retry >= settings.retries) throw outcome.error;
    await backoff(settings, retry);
  }
}
