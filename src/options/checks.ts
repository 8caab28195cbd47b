/**
 * The one way an option is refused, for every options object (the library's,
 * its nested ones, the adapters'): a `TypeError` that names the option, says
 * what it must be and what it got.
 */

export type Input = Record<string, unknown>;

const LIBRARY = 'express-wechat-session';

/** Words that stand for a value in a refusal, where the value itself must not be shown (a secret) or says little. */
export class Description {
  constructor(readonly text: string) {}
}

/** What a refusal shows for a secret: whether it was there, never what it held. */
export function secret(value: unknown): Description {
  if (value === undefined || value === null) return new Description(String(value));
  const kind = value === '' ? 'empty string' : typeof value;
  return new Description(`${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`);
}

function show(got: unknown): string {
  if (got instanceof Description) return got.text;
  if (typeof got === 'string') return `'${got}'`;
  return typeof got === 'function' ? 'a function' : String(got);
}

/** Refuse option `name` of `owner` (the library, or an adapter such as `redisStore`): it must be `want`. */
export function fail(name: string, want: string, got: unknown, owner = LIBRARY): never {
  throw new TypeError(`${owner}: \`${name}\` must be ${want}; got ${show(got)}`);
}

/** Edit distance, for "did you mean" hints on misspelt option names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** The known name closest to `name`, when one is close enough to be what was meant. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d <= bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Refuse a key of `input` that is not among `known`, naming the closest
 * known one. `path` leads the names of a nested object's keys (`riskRank.`,
 * `apps[0].`).
 */
export function refuseUnknown(input: Input, known: readonly string[], path = '', owner = LIBRARY): void {
  for (const key of Object.keys(input)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    throw new TypeError(`${owner}: unknown option \`${path}${key}\` must be left out${hint ? `; did you mean \`${path}${hint}\`?` : ''}`);
  }
}

/** `value` as an options object of its own (`riskRank`, `component`…), its keys checked against `known`. */
export function nestedObject(value: unknown, name: string, want: string, known: readonly string[], owner = LIBRARY): Input {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(name, want, value, owner);
  refuseUnknown(value as Input, known, `${name}.`, owner);
  return value as Input;
}

export function positive(input: Input, name: string, fallback: number, unit: string, owner = LIBRARY): number {
  const value = input[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) fail(name, `a positive whole number of ${unit}`, value, owner);
  return value;
}

export function wholeNumber(input: Input, name: string, min: number, max: number, fallback: number): number {
  const value = input[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(name, `a whole number from ${min} to ${max}`, value);
  return value;
}

export function flag(input: Input, name: string, fallback: boolean): boolean {
  const value = input[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, 'true or false', value);
  return value;
}

export function optionalFunction<F>(input: Input, name: string, want: string): F | undefined {
  const value = input[name];
  if (value !== undefined && typeof value !== 'function') fail(name, want, value);
  return value as F | undefined;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * An API base URL: https, or http to a loopback host only (a local stand-in),
 * since the AppSecret travels in its query strings and bodies.
 */
export function baseUrl(input: Input, name: string, fallback: string): string {
  const value = input[name];
  if (value === undefined) return fallback;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.search || url.hash || (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname)))) {
    fail(name, 'an https URL (http only to localhost or 127.0.0.1, for a local stand-in)', value);
  }
  return (value as string).replace(/\/+$/, '');
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** A pino-style logger (debug, info, warn and error methods), `false`, or absent. */
export function logger<L>(input: Input): L | false | undefined {
  const value = input.logger;
  if (value === undefined || value === false) return value;
  const methods = value as Record<string, unknown> | null;
  if (!methods || typeof methods !== 'object' || LOGGER_METHODS.some((m) => typeof methods[m] !== 'function')) {
    fail('logger', 'a logger with debug, info, warn and error methods (pino, bunyan, console-like), or false', value);
  }
  return value as L;
}
