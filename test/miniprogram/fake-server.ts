/**
 * A small local server that speaks the HTTP contract the mini-program client
 * talks to (login, phone in both flows, logout, token headers, JSON errors),
 * with in-memory sessions and counters, plus the WeChat side the client's
 * `wx.login` needs: login codes and phone ciphertexts made with the user's
 * current session_key. Enough to test the client before, and apart from, the
 * real middleware.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const PHONE = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' };

interface Session {
  openid: string;
  sessionKey: string;
}

type Handler = (req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse) => void;

export interface FakeServer {
  readonly url: string;
  /** POST /wechat/login answers, successful or not. */
  readonly logins: number;
  /** Requests seen per path. */
  readonly hits: Map<string, number>;
  /**
   * A single-use login code for `user` (its openid is `o-<user>`): what
   * `wx.login` yields. As in WeChat, it rotates the user's session_key.
   */
  issueCode(user?: string): string;
  /** A single-use phone code, as the current `getPhoneNumber` flow gives. */
  issuePhoneCode(): string;
  /** The legacy `{ encryptedData, iv }`, made with `user`'s current session_key. */
  encryptPhone(user?: string): { encryptedData: string; iv: string };
  /** Forget every session, as expiry would. */
  expireAll(): void;
  /** When set, every login answers this error. */
  failLogins(error: { status: number; code: string } | null): void;
  /** Milliseconds the /api routes wait before answering (a `?delay=` query overrides it). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** Start the server on a free loopback port. */
export async function startFakeServer(): Promise<FakeServer> {
  const state = createState();
  const server = createServer((req, res) => {
    dispatch(state, req, res).catch(() => fail(res, 500, 'FAKE_SERVER_ERROR'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get logins() {
      return state.logins;
    },
    hits: state.hits,
    issueCode: (user = 'alice') => state.issueCode(`o-${user}`),
    issuePhoneCode: () => state.issue(state.phoneCodes, 'phone'),
    encryptPhone: (user = 'alice') => state.encryptPhone(`o-${user}`),
    expireAll: () => state.sessions.clear(),
    failLogins: (error) => void (state.loginFailure = error),
    setDelay: (ms) => void (state.delay = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type State = ReturnType<typeof createState>;

function createState() {
  const state = {
    logins: 0,
    delay: 0,
    hits: new Map<string, number>(),
    loginFailure: null as { status: number; code: string } | null,
    /** login code -> the openid and session_key it stands for, or null once used. */
    codes: new Map<string, Session | null>(),
    phoneCodes: new Map<string, string>(),
    /** openid -> WeChat's current session_key (rotates on each login). */
    keys: new Map<string, string>(),
    /** token -> session. */
    sessions: new Map<string, Session>(),
    issueCode(openid: string): string {
      const sessionKey = randomBytes(16).toString('base64');
      state.keys.set(openid, sessionKey);
      return state.issue(state.codes, { openid, sessionKey });
    },
    issue<T>(codes: Map<string, T>, value: T): string {
      const code = randomBytes(12).toString('hex');
      codes.set(code, value);
      return code;
    },
    encryptPhone(openid: string): { encryptedData: string; iv: string } {
      const key = state.keys.get(openid) ?? 'no-key';
      const encryptedData = Buffer.from(JSON.stringify({ key, phone: PHONE })).toString('base64');
      return { encryptedData, iv: randomBytes(16).toString('base64') };
    },
  };
  return state;
}

const ROUTES: Record<string, (state: State) => Handler> = {
  'POST /wechat/login': (state) => (_req, body, res) => login(state, body, res),
  'POST /wechat/phone': (state) => authed(state, (session, body, res) => phone(state, session, body, res)),
  'POST /wechat/logout': (state) => (req, _body, res) => logout(state, req, res),
  'GET /api/me': (state) => authed(state, (session, _body, res) => json(res, 200, { openid: session.openid })),
  'GET /api/public': () => (_req, _body, res) => json(res, 200, { public: true }),
  'GET /api/rate-limited': (state) => authed(state, (_s, _b, res) => fail(res, 429, 'WECHAT_RATE_LIMITED')),
  'GET /api/upstream': (state) => authed(state, (_s, _b, res) => fail(res, 502, 'WECHAT_UPSTREAM_ERROR')),
  'GET /api/always-invalid': () => (_req, _body, res) => fail(res, 401, 'WECHAT_SESSION_INVALID'),
  'GET /api/plain-error': () => (_req, _body, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
  },
};

async function dispatch(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname: path, searchParams } = new URL(req.url ?? '/', 'http://x');
  state.hits.set(path, (state.hits.get(path) ?? 0) + 1);
  const route = ROUTES[`${req.method} ${path}`];
  if (!route) return fail(res, 404, 'NOT_FOUND');
  const body = await readJson(req);
  if (body === null) return fail(res, 400, 'WECHAT_BAD_REQUEST');
  const delay = Number(searchParams.get('delay') ?? state.delay);
  if (path.startsWith('/api/') && delay > 0) await new Promise((r) => setTimeout(r, delay));
  route(state)(req, body, res);
}

function login(state: State, body: Record<string, unknown>, res: ServerResponse): void {
  state.logins += 1;
  if (state.loginFailure) return fail(res, state.loginFailure.status, state.loginFailure.code);
  if (typeof body.code !== 'string') return fail(res, 400, 'WECHAT_BAD_REQUEST');
  const issued = state.codes.get(body.code);
  if (issued === undefined) return fail(res, 401, 'WECHAT_CODE_INVALID');
  if (issued === null) return fail(res, 401, 'WECHAT_CODE_USED');
  state.codes.set(body.code, null);
  for (const [token, session] of state.sessions) if (session.openid === issued.openid) state.sessions.delete(token);
  const token = randomBytes(24).toString('base64url');
  state.sessions.set(token, issued);
  json(res, 200, { token, openid: issued.openid, expiresIn: 259200 });
}

function phone(state: State, session: Session, body: Record<string, unknown>, res: ServerResponse): void {
  if (typeof body.code === 'string') {
    if (state.phoneCodes.get(body.code) !== 'phone') return fail(res, 401, 'WECHAT_CODE_INVALID');
    state.phoneCodes.set(body.code, '');
    return json(res, 200, PHONE);
  }
  if (typeof body.encryptedData !== 'string' || typeof body.iv !== 'string') return fail(res, 400, 'WECHAT_BAD_REQUEST');
  const plain = decode(body.encryptedData);
  if (!plain || plain.key !== session.sessionKey) return fail(res, 401, 'WECHAT_SESSION_KEY_MISMATCH');
  json(res, 200, plain.phone);
}

function decode(encryptedData: string): { key: string; phone: object } | null {
  try {
    return JSON.parse(Buffer.from(encryptedData, 'base64').toString('utf8')) as { key: string; phone: object };
  } catch {
    return null;
  }
}

function logout(state: State, req: IncomingMessage, res: ServerResponse): void {
  const token = tokenOf(req);
  if (token === undefined) return fail(res, 401, 'WECHAT_SESSION_REQUIRED');
  if (!state.sessions.delete(token)) return fail(res, 401, 'WECHAT_SESSION_INVALID');
  res.writeHead(204).end();
}

function authed(state: State, next: (session: Session, body: Record<string, unknown>, res: ServerResponse) => void): Handler {
  return (req, body, res) => {
    const token = tokenOf(req);
    if (token === undefined) return fail(res, 401, 'WECHAT_SESSION_REQUIRED');
    const session = state.sessions.get(token);
    if (!session) return fail(res, 401, 'WECHAT_SESSION_INVALID');
    next(session, body, res);
  };
}

function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  const header = req.headers['x-wx-session'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, code: string): void {
  json(res, status, { error: { code, message: `Fake server answered ${code}` } });
}
