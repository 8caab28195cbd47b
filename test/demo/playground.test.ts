/**
 * The playground in a real browser: headless Chromium clicks through every
 * step against the demo server (started as `npm run demo` starts it, with its
 * in-process WeChat stand-in) and checks what the page shows.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireBuild, startExample, type RunningExample } from '../examples/run-example.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = process.env.PLAYGROUND_SCREENSHOT ?? '/tmp/playground.png';

interface StepView {
  state: string;
  status: string;
  code: string;
  text: string;
  log: string;
}

let demo: RunningExample;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

jest.setTimeout(60_000);

beforeAll(async () => {
  requireBuild();
  [demo, browser] = await Promise.all([startExample('examples/demo/server.mjs'), chromium.launch({ executablePath: CHROMIUM, args: FLAGS })]);
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // The browser logs every 401 answer; those are the steps' expected refusals.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) pageErrors.push(message.text());
  });
  await page.goto(demo.url + '/');
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Click `action` in the step section `step` and wait until the step has run once more. */
async function click(step: string, action: string): Promise<StepView> {
  const section = `[data-step="${step}"]`;
  const runs = Number((await page.getAttribute(section, 'data-runs')) ?? 0);
  await page.click(`${section} [data-action="${action}"]`);
  await page.waitForSelector(`${section}[data-runs="${runs + 1}"]`);
  return page.$eval(section, (el) => {
    const result = el.querySelector('.result') as HTMLOutputElement;
    return {
      state: result.dataset.state ?? '',
      status: result.dataset.status ?? '',
      code: result.dataset.code ?? '',
      text: result.textContent ?? '',
      log: el.querySelector('.log')?.textContent ?? '',
    };
  });
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('playground with the WeChat stand-in', () => {
  let openid: string;
  let code: string;

  it('shows the stand-in mode and the user', async () => {
    expect(await page.getAttribute('#mode', 'data-mode')).toBe('stand-in');
    openid = (await page.textContent('#openid')) ?? '';
    expect(openid).toMatch(/^oDemo[a-z0-9]{12}$/);
  });

  it('1. wx.login gets a code from the stand-in', async () => {
    const view = await click('code', 'code');
    expect(view).toMatchObject({ state: 'ok', status: '200' });
    expect(view.log).toContain('POST [WeChat stand-in]/__standin/login');
    code = /code (\w{8})…/.exec(view.text)![1];
  });

  it('2. login sends that code and gets a token', async () => {
    const view = await click('login', 'login');
    expect(view).toMatchObject({ state: 'ok', status: '200' });
    expect(view.text).toContain(`logged in as ${openid}`);
    expect(view.log).toContain('POST /wechat/login');
    expect(view.log).toContain(`{"code":"${code}…"}`);
    expect(view.log).not.toContain('__standin/login'); // the code of step 1 was used, no new wx.login code
  });

  it('3. the protected route answers with the token', async () => {
    const view = await click('me', 'me');
    expect(view).toMatchObject({ state: 'ok', status: '200', text: `200 · openid ${openid}` });
    expect(view.log).toMatch(/GET \/api\/me\nContent-Type: application\/json\nAuthorization: Bearer \S{8}…/);
  });

  it('4. getPhoneNumber, current flow: the phone code is redeemed', async () => {
    const view = await click('phone-code', 'phoneCode');
    expect(view).toMatchObject({ state: 'ok', status: '200' });
    expect(view.text).toBe('200 · phone 13800138000 (country code 86)');
    expect(view.log).toContain('POST [WeChat stand-in]/__standin/phone-code');
    expect(view.log).toContain('POST /wechat/phone');
  });

  it('5. getPhoneNumber, legacy flow: encryptedData + iv are decrypted', async () => {
    await page.fill('#phone', '13912345678');
    const view = await click('phone-legacy', 'phoneLegacy');
    expect(view).toMatchObject({ state: 'ok', status: '200', text: '200 · phone 13912345678 (country code 86)' });
    expect(view.log).toContain('POST [WeChat stand-in]/__standin/encrypt-phone');
    expect(view.log).toMatch(/\{"encryptedData":"\S{8}…","iv":"\S{8}…"\}/);
  });

  it('6. a login between the tap and the send gives 401 WECHAT_SESSION_KEY_MISMATCH and advice', async () => {
    const view = await click('stale', 'stale');
    expect(view).toMatchObject({ state: 'ok', status: '401', code: 'WECHAT_SESSION_KEY_MISMATCH' });
    expect(view.text).toBe('401 · server: WECHAT_SESSION_KEY_MISMATCH; client: WECHAT_PHONE_RETRY');
    expect(view.log).toContain('→ 401  {"error":{"code":"WECHAT_SESSION_KEY_MISMATCH"');
    expect(count(view.log, 'POST /wechat/login')).toBe(2); // the background login, then the client's own
    expect(await page.isVisible('[data-step="stale"] .advice')).toBe(true);
    expect(await page.textContent('[data-step="stale"] .advice')).toContain('ask the user to tap');
    expect(await page.isEnabled('[data-action="tapAgain"]')).toBe(true);
  });

  it('6b. tapping again gets the number', async () => {
    const view = await click('tap-again', 'tapAgain');
    expect(view).toMatchObject({ state: 'ok', status: '200', text: '200 · phone 13912345678 (country code 86)' });
    expect(view.log).toContain('POST /wechat/phone');
    expect(count(view.log, 'POST /wechat/login')).toBe(0);
    expect(await page.isEnabled('[data-action="tapAgain"]')).toBe(false);
  });

  it('7. logout ends the session and the old token is refused', async () => {
    const view = await click('logout', 'logout');
    expect(view).toMatchObject({ state: 'ok', status: '204' });
    expect(view.text).toBe('204 · logged out; the old token now gets 401 WECHAT_SESSION_INVALID');
    expect(view.log).toContain('POST /wechat/logout');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('after logout the protected route logs in again first', async () => {
    const view = await click('me', 'me');
    expect(view).toMatchObject({ state: 'ok', status: '200', text: `200 · openid ${openid}` });
    expect(view.log).toContain('POST [WeChat stand-in]/__standin/login');
    expect(view.log).toContain('POST /wechat/login');
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('playground with real WeChat credentials', () => {
  let real: RunningExample;
  let realPage: Page;

  beforeAll(async () => {
    const env = { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'not-a-real-secret', WECHAT_API_BASE_URL: 'http://127.0.0.1:9' };
    real = await startExample('examples/demo/server.mjs', env);
    realPage = await browser.newPage();
    await realPage.goto(real.url + '/');
    await realPage.waitForSelector('body[data-ready="true"]');
  });
  afterAll(async () => {
    await realPage?.close();
    await real?.stop();
  });

  it('says the steps need a phone and disables them', async () => {
    expect(real.output()).toContain('login codes come from wx.login on a phone');
    expect(await realPage.getAttribute('#mode', 'data-mode')).toBe('wechat');
    expect(await realPage.textContent('#mode')).toContain('need a phone');
    const enabled = await realPage.$$eval('button[data-action]', (buttons) => buttons.filter((b) => !(b as HTMLButtonElement).disabled).length);
    expect(enabled).toBe(0);
  });
});
