/**
 * The soak's traffic: mini-program users who log in, use their session,
 * look up their phone both ways and log out, one request at a time each,
 * until stopped; and the audit that their sessions outlive store faults.
 */
import { boundMs, type Operation, type SoakConfig } from './config.js';
import type { Answer, StandIn, StoreName } from './faults.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Shared {
  baseUrl: string;
  wechat: StandIn;
  /** How many times each store lost its data so far. */
  epochs: Record<StoreName, number>;
  sink(answer: Answer): void;
}

class VirtualUser {
  token: string | undefined;
  /** The store's epoch when the session was asked for: older than the store's now means the store lost it. */
  epoch = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly openid: string,
    readonly store: StoreName,
    private readonly phone: string,
    private readonly shared: Shared,
  ) {}

  /** Run `task` after whatever this user is doing. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** One step of the user's life, picked at random. */
  async step(): Promise<void> {
    const { wechat, epochs } = this.shared;
    const r = Math.random();
    if (!this.token) {
      const { code } = await wechat('login', { openid: this.openid });
      const epoch = epochs[this.store];
      const answer = await this.send('login', 'POST', '/wechat/login', { code }, false);
      this.token = answer.status === 200 ? (answer.body as { token: string }).token : undefined;
      this.epoch = epoch;
    } else if (r < 0.6) await this.resolve();
    else if (r < 0.95) {
      const op = r < 0.78 ? 'phoneCode' : 'phoneLegacy';
      const asked = { openid: this.openid, phoneNumber: this.phone };
      const answer = await this.send(
        op,
        'POST',
        '/wechat/phone',
        op === 'phoneCode' ? { code: (await wechat('phone-code', asked)).code } : await wechat('encrypt-phone', asked),
      );
      if (answer.status === 200 && (answer.body as { purePhoneNumber?: string }).purePhoneNumber !== this.phone) {
        Object.assign(answer.record, { status: 599, code: 'WRONG_PHONE' }); // a wrong number is outside any table
      }
      if (answer.status === 401) this.token = undefined;
    } else {
      await this.send('logout', 'POST', '/wechat/logout', {});
      this.token = undefined; // whatever the answer: a client that logged out forgets its token
    }
  }

  /** GET /api/me with the held token; resolves the status (0 for a hang). */
  async resolve(): Promise<number> {
    const { status } = await this.send('resolve', 'GET', '/api/me');
    if (status === 401) this.token = undefined;
    return status;
  }

  private async send(
    op: Operation,
    method: string,
    path: string,
    body?: unknown,
    withToken = true,
  ): Promise<{ status: number; body: unknown; record: Answer }> {
    const { baseUrl, epochs, sink } = this.shared;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken && this.token && { authorization: `Bearer ${this.token}` }) };
    const lost = () => withToken && this.epoch < epochs[this.store];
    const lostBefore = lost();
    const sent = performance.now();
    let status = 0; // no answer in time, or the connection failed: a hang
    let parsed: { error?: { code?: string } } | undefined;
    try {
      const res = await fetch(`${baseUrl}/${this.store}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(boundMs(op) + 5000),
      });
      const text = await res.text();
      status = res.status;
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      status = 0;
    }
    const record: Answer = {
      op,
      store: this.store,
      sent,
      answered: performance.now(),
      status,
      code: parsed?.error?.code,
      sessionLostByStore: lostBefore || lost(),
    };
    queueMicrotask(() => sink(record));
    return { status, body: parsed, record };
  }
}

/** `config.users` users on each store, stepping and thinking until stopped; `pause()` holds them at a step boundary. */
export class Traffic {
  readonly users: VirtualUser[] = [];
  private running = true;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private readonly loops: Promise<void>[];

  constructor(config: SoakConfig, shared: Shared) {
    for (const store of ['redis', 'memcached'] as const) {
      for (let i = 0; i < config.users; i++) {
        this.users.push(new VirtualUser(`oSoak-${store}-${i}`, store, `139${String(10_000_000 + this.users.length).slice(-8)}`, shared));
      }
    }
    const [min, max] = config.thinkMs;
    this.loops = this.users.map(async (user) => {
      await sleep(Math.random() * max);
      while (this.running) {
        if (this.gate) await this.gate;
        if (this.running) await user.exclusive(() => user.step());
        await sleep(min + Math.random() * (max - min));
      }
    });
  }

  /** Hold every user at its next step, and wait until none has a request out. */
  async pause(): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    await Promise.all(this.users.map((u) => u.exclusive(async () => undefined)));
  }

  resume(): void {
    this.open?.();
    this.gate = undefined;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.resume();
    await Promise.all(this.loops);
  }
}

type Snapshot = [VirtualUser, string][];

/** Checks that every session a store held before a stall or a drop (or at the end) is still there after it. */
export class SessionAudit {
  checked = 0;
  lost = 0;
  readonly pending: Promise<void>[] = [];

  constructor(private readonly epochs: Record<StoreName, number>) {}

  /** The sessions the users (of `store`) hold right now. */
  snapshot(users: readonly VirtualUser[], store?: StoreName): Snapshot {
    return users.filter((u) => (!store || u.store === store) && u.token).map((u) => [u, u.token!]);
  }

  verifyLater(snapshot: Snapshot, delayMs: number): void {
    this.pending.push(sleep(delayMs).then(() => this.verify(snapshot)));
  }

  async verify(snapshot: Snapshot): Promise<void> {
    await Promise.all(
      snapshot.map(([user, token]) =>
        user.exclusive(async () => {
          if (user.token !== token || user.epoch < this.epochs[user.store]) return; // logged out since, or its store was killed
          this.checked++;
          for (let attempt = 0; attempt < 12; attempt++) {
            const status = await user.resolve();
            if (status === 200) return;
            if (status === 401) break;
            await sleep(250); // 503: the store is still coming back
          }
          this.lost++;
        }),
      ),
    );
  }
}
