import { randomBytes } from 'node:crypto';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { APP_SERVER, startAppProcess, type AppProcess } from '../support/app-process.js';

/**
 * Two app processes share one Redis and serve two mini-programs and a WeCom
 * corp. Every process redeems phone codes of both apps and logs WeCom members
 * in at the same moment: the fleet fetches each app's access token once, and
 * the corp's token once, whatever the process.
 */

const SHOP = { appId: 'wx5555555555555555', appSecret: 'd'.repeat(32) };
const CLUB = { appId: 'wx6666666666666666', appSecret: 'e'.repeat(32) };
const CORP = { corpId: 'ww0000000000000002', corpSecret: 'f'.repeat(32) };

let wechat: WechatStandIn;
let fleet: AppProcess[] = [];

async function call(app: AppProcess, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(app.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  wechat = await startWechatStandIn({ apps: [SHOP, CLUB], wecom: CORP });
  const env = {
    WXS_API_BASE_URL: wechat.url,
    WXS_APPS: JSON.stringify([SHOP, CLUB]),
    WXS_WECOM: JSON.stringify(CORP),
    WXS_PREFIX: `apps-fleet-${randomBytes(4).toString('hex')}:`,
    WXS_STORE_SERVERS: process.env.REDIS_URL!,
  };
  fleet = await Promise.all([startAppProcess(APP_SERVER, { env, readyMs: 30_000 }), startAppProcess(APP_SERVER, { env, readyMs: 30_000 })]);
}, 45_000);
afterAll(async () => {
  await Promise.all(fleet.map((app) => app.stop()));
  await wechat?.close();
});

it('fetches each app’s access token and the corp token once across two processes', async () => {
  const logins = await Promise.all(
    fleet.flatMap((app, i) =>
      [SHOP, CLUB].map(async ({ appId }) => {
        const openid = `oFleet${i}${appId.slice(-1)}`;
        const res = await call(app, '/wechat/login', { code: wechat.issueLoginCode({ openid, appId }) }, { 'x-wx-appid': appId });
        expect(res.status).toBe(200);
        return { app, appId, openid, token: res.body.token as string };
      }),
    ),
  );
  const phones = await Promise.all(
    logins.map(({ app, appId, openid, token }) =>
      call(app, '/wechat/phone', { code: wechat.issuePhoneCode(openid, '13700137000', { appId }) }, { 'x-wx-appid': appId, authorization: `Bearer ${token}` }),
    ),
  );
  expect(phones.map((p) => p.status)).toEqual(Array(4).fill(200));
  const members = await Promise.all(fleet.map((app, i) => call(app, '/wechat/wecom/login', { code: wechat.issueWecomCode({ userId: `member${i}` }) }, {})));
  expect(members.map((m) => [m.status, m.body.userId])).toEqual([
    [200, 'member0'],
    [200, 'member1'],
  ]);

  const byApp = wechat.callsByApp;
  expect([byApp[SHOP.appId]!.stable_token, byApp[CLUB.appId]!.stable_token, byApp[CORP.corpId]!.gettoken]).toEqual([1, 1, 1]);
  const stats = await Promise.all(
    fleet.map(async (app) => (await (await fetch(`${app.url}/__stats`)).json()) as { tokenFetchesByApp: Record<string, number>; corpTokenFetches: number }),
  );
  const fetched = (appId: string) => stats.reduce((sum, s) => sum + s.tokenFetchesByApp[appId]!, 0);
  expect([fetched(SHOP.appId), fetched(CLUB.appId), stats.reduce((sum, s) => sum + s.corpTokenFetches, 0)]).toEqual([1, 1, 1]);
});
