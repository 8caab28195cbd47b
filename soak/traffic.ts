import { boundMs, type Operation } from './config.js';
import type { StoreName } from './faults.js';
import type { StandInControl } from './standin-client.js';
import type { Answer } from './table.js';

/** Where answers go: the driver checks each against the table as it arrives. */
export type AnswerSink = (answer: Answer) => void;

interface Shared {
  baseUrl: string;
  wechat: StandInControl;
  /** How many times each store lost its data so far. */
  epochs: Record<StoreName, number>;
  sink: AnswerSink;
}

const PHONE = (i: number) => `139${String(10_000_000 + i).slice(-8)}`;

/** One mini-program user: logs in, uses its session, looks up its phone both ways, logs out. */
export class VirtualUser {
  token: string | undefined;
  /** The store's epoch when the session was asked for: older than the store's now means the store lost it. */
  epoch = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly openid: string,
    readonly store: StoreName,
    private readonly index: number,
    private readonly shared: Shared,
  ) {}

  /** Run `task` after whatever this user is doing (one request at a time per user). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** One step of the user's life, picked at random. */
  step(random: () => number): Promise<void> {
    if (!this.token) return this.login();
    const r = random();
    if (r < 0.6) return this.resolve().then(() => undefined);
    if (r < 0.78) return this.phone('phoneCode');
    if (r < 0.95) return this.phone('phoneLegacy');
    return this.logout();
  }

  /** GET /api/me with the held token; resolves the status (0 for a hang). */
  async resolve(): Promise<number> {
    const answer = await this.send('resolve', 'GET', '/api/me');
    if (answer.status === 401) this.token = undefined;
    return answer.status;
  }

  private async login(): Promise<void> {
    const code = await this.shared.wechat.issueLoginCode(this.openid);
    const epoch = this.shared.epochs[this.store];
    const answer = await this.send('login', 'POST', '/wechat/login', { code }, false);
    this.token = answer.status === 200 ? (answer.body as { token: string }).token : undefined;
    this.epoch = epoch;
  }

  private async phone(op: 'phoneCode' | 'phoneLegacy'): Promise<void> {
    const { wechat } = this.shared;
    const phone = PHONE(this.index);
    const body = op === 'phoneCode' ? { code: await wechat.issuePhoneCode(this.openid, phone) } : await wechat.encryptPhone(this.openid, phone);
    const answer = await this.send(op, 'POST', '/wechat/phone', body);
    if (answer.status === 200 && (answer.body as { purePhoneNumber?: string }).purePhoneNumber !== phone) {
      answer.record.status = 599; // a wrong number is outside any table
      answer.record.code = 'WRONG_PHONE';
    }
    if (answer.status === 401) this.token = undefined;
  }

  private async logout(): Promise<void> {
    await this.send('logout', 'POST', '/wechat/logout', {});
    this.token = undefined; // whatever the answer: a client that logged out forgets its token
  }

  private async send(op: Operation, method: string, path: string, body?: unknown, withToken = true): Promise<{ status: number; body: unknown; record: Answer }> {
    const { shared } = this;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (withToken && this.token) headers.authorization = `Bearer ${this.token}`;
    const sessionLostByStore = withToken && this.epoch < shared.epochs[this.store];
    const sent = performance.now();
    let status = 0;
    let parsed: unknown;
    try {
      const res = await fetch(`${shared.baseUrl}/${this.store}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(boundMs(op) + 5000),
      });
      status = res.status;
      const text = await res.text();
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      status = 0; // no answer in time, or the connection failed: a hang
    }
    const record: Answer = {
      op, store: this.store, sent, answered: performance.now(), status,
      code: (parsed as { error?: { code?: string } } | undefined)?.error?.code,
      sessionLostByStore: sessionLostByStore || (withToken && this.epoch < shared.epochs[this.store]),
    };
    const result = { status, body: parsed, record };
    queueMicrotask(() => shared.sink(record));
    return result;
  }
}

/** `count` users on each store. */
export function makeUsers(count: number, shared: Shared): VirtualUser[] {
  const users: VirtualUser[] = [];
  for (const store of ['redis', 'memcached'] as const) {
    for (let i = 0; i < count; i++) users.push(new VirtualUser(`oSoak-${store}-${i}`, store, users.length, shared));
  }
  return users;
}
