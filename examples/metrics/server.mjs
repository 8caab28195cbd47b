// Prometheus counters for the session lifecycle, fed by the `on` callbacks:
// logins, renewals, logouts, revocations, session_key mismatches, WeChat
// failures and store failures, plus a login latency histogram.
// Run: node examples/metrics/server.mjs, then curl http://127.0.0.1:3000/metrics
import express from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { requireWechatSession, wechatRouter, wechatSession } from 'express-wechat-session';
import { memoryStore } from 'express-wechat-session/adapters/memory';
import { serve, wechatFromEnv } from '../shared/env.mjs';

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const counter = (name, help, labelNames = []) => new Counter({ name, help, labelNames, registers: [registry] });

const metrics = {
  logins: counter('wechat_logins_total', 'Sessions created by a wx.login code'),
  loginSeconds: new Histogram({
    name: 'wechat_login_duration_seconds',
    help: 'Time from the login request to its session, WeChat exchange included',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
  renewals: counter('wechat_session_renewals_total', 'Sessions whose expiry was pushed back on use'),
  logouts: counter('wechat_logouts_total', 'Sessions ended by wechatLogout'),
  revoked: counter('wechat_sessions_revoked_total', 'Sessions ended without their token', ['reason']),
  mismatches: counter('wechat_session_key_mismatches_total', 'Encrypted data that did not match the session_key', ['flow']),
  upstreamErrors: counter('wechat_upstream_errors_total', 'Requests failed by WeChat', ['code', 'api']),
  storeErrors: counter('wechat_store_errors_total', 'Store calls that failed or timed out', ['operation', 'timed_out']),
};

const { wechat } = await wechatFromEnv();
const options = wechatSession({
  ...wechat,
  store: memoryStore(),
  // Each callback gets a small event object with no token, key, code or phone number in it.
  // A callback that throws is logged and never breaks the request.
  on: {
    login: (e) => {
      metrics.logins.inc();
      metrics.loginSeconds.observe(e.ms / 1000);
    },
    renew: () => metrics.renewals.inc(),
    logout: () => metrics.logouts.inc(),
    revoke: (e) => metrics.revoked.inc({ reason: e.reason }, e.sessions),
    sessionKeyMismatch: (e) => metrics.mismatches.inc({ flow: e.flow }),
    upstreamError: (e) => metrics.upstreamErrors.inc({ code: e.code, api: e.api ?? 'unknown' }),
    storeError: (e) => metrics.storeErrors.inc({ operation: e.operation, timed_out: String(e.timedOut) }),
  },
});

const app = express();
app.use('/wechat', wechatRouter(options));
app.get('/api/me', requireWechatSession(options), (req, res) => {
  res.json({ openid: req.wechat.openid });
});
// Keep /metrics off the public internet: bind it to an internal port or put auth in front of it.
app.get('/metrics', async (_req, res) => {
  res.set('Content-Type', registry.contentType);
  res.end(await registry.metrics());
});

await serve(app, 'metrics example');
