import { ERROR_STATUS } from '../../src/index.js';
import type { RawAnswer } from './raw.js';

/** The seed of every property: fixed so a failure replays; override with HOSTILE_SEED. */
export const SEED = Number(process.env.HOSTILE_SEED ?? 7_2026);

/** Runs per property; HOSTILE_RUNS scales them for a longer local hunt. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * Number(process.env.HOSTILE_RUNS_FACTOR ?? 1)));
}

const STACK_LINE = /\n\s*at\s|\bat [\w.<>]+ \(|node:internal|\.ts:\d+:\d+|\.js:\d+:\d+/;

/**
 * Why `answer` is not an acceptable refusal, or undefined when it is: our
 * 4xx with `{ error: { code, message } }` (status matching the code, no
 * stack, not cacheable), or Node's own 400/431 for HTTP it could not parse.
 */
export function refusalProblem(answer: RawAnswer): string | undefined {
  const { status, headers, body } = answer;
  if (status === undefined) return 'the connection closed without an answer';
  if (STACK_LINE.test(body)) return `a stack trace in the body: ${body.slice(0, 200)}`;
  if ((status === 400 || status === 431) && headers['content-type'] === undefined && body === '') return undefined; // Node's parser
  if (status < 400 || status > 499) return `status ${status}: ${body.slice(0, 200)}`;
  let parsed: { error?: { code?: unknown; message?: unknown } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return `a body that is not JSON: ${body.slice(0, 200)}`;
  }
  const code = parsed.error?.code;
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) return `unknown error code ${String(code)}`;
  if (ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== status) return `code ${code} with status ${status}`;
  if (typeof parsed.error?.message !== 'string') return 'no message';
  if (headers['cache-control'] !== 'no-store') return `Cache-Control ${headers['cache-control']}`;
  return undefined;
}

/** Every own property name of the shared prototypes, to see any pollution. */
export function prototypeFingerprint(): string {
  const names = (o: object) => Object.getOwnPropertyNames(o).sort().join(',');
  return [names(Object.prototype), names(Array.prototype), names(Function.prototype), names(String.prototype)].join('|');
}

/** Errors the process reported outside any request while the tests ran. */
export function watchProcess(): { problems: string[]; stop(): void } {
  const problems: string[] = [];
  const onRejection = (reason: unknown) => problems.push(`unhandled rejection: ${String((reason as Error)?.stack ?? reason)}`);
  const onException = (err: Error) => problems.push(`uncaught exception: ${err.stack ?? err.message}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    problems,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
