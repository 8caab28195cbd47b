/**
 * Sending a push to an app's URL, and again as WeChat's retry.
 */
import { buildPush, type PushSettings, withHeader } from './push-build.js';
import type { StandInPushMessage, StandInPushOptions, StandInPushReceipt } from './types-push.js';

const DEFAULT_TIMEOUT_MS = 5000;

/** What sending needs from the stand-in. */
export interface PushSendDeps {
  /** The push settings of an app (default the main one); throws for an app without them. */
  settings: (appId: string | undefined) => PushSettings;
  now: () => number;
}

function checkUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`url must be an absolute http(s) URL; got ${String(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('url must be http: or https:');
  return parsed;
}

function checkTimeout(timeoutMs: number | undefined): number {
  const value = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`timeoutMs must be a positive number; got ${String(timeoutMs)}`);
  return value;
}

async function deliver(url: string, body: string, contentType: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/** Send `message` to `url` as the app's push, in the options' mode and format. */
export async function sendPush(deps: PushSendDeps, url: string, message: StandInPushMessage, options: StandInPushOptions = {}): Promise<StandInPushReceipt> {
  const target = checkUrl(url);
  if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new TypeError('message must be an object of WeChat fields');
  const settings = deps.settings(options.appId);
  const mode = options.mode ?? (settings.encodingAESKey === undefined ? 'plaintext' : 'safe');
  if (mode !== 'plaintext' && mode !== 'compatible' && mode !== 'safe') throw new TypeError("mode must be 'plaintext', 'compatible' or 'safe'");
  if (mode !== 'plaintext' && settings.encodingAESKey === undefined) throw new TypeError(`${mode} mode needs the app's push.encodingAESKey`);
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'xml') throw new TypeError("format must be 'json' or 'xml'");
  const timeoutMs = checkTimeout(options.timeoutMs);
  const full = withHeader(message, settings.appId, deps.now());
  const attempt = async (): Promise<StandInPushReceipt> => {
    const built = buildPush(settings, full, mode, format, deps.now());
    const sentUrl = new URL(target);
    for (const [name, value] of built.query) sentUrl.searchParams.append(name, value);
    const answer = await deliver(sentUrl.href, built.body, built.contentType, timeoutMs);
    return {
      ...answer,
      accepted: answer.status === 200 && (answer.body === '' || answer.body === 'success'),
      sent: { url: sentUrl.href, body: built.body, contentType: built.contentType },
      retry: attempt,
    };
  };
  return attempt();
}
