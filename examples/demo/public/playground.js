// The playground: the mini-program client driven by a browser stand-in for
// `wx`. wx.login takes its codes from the local WeChat stand-in; wx.request
// is fetch. Every exchange of a step is written into that step's log.
(() => {
  'use strict';
  const { createMiniProgramClient } = window.wechatMiniProgramClient;
  const $ = (selector, root) => (root || document).querySelector(selector);
  const state = { config: null, api: null, openid: 'oDemo' + randomId(), heldCode: null, log: null, retryPending: false };

  // ---- the log of the step being run ------------------------------------
  const SHORT = ['token', 'code', 'encryptedData', 'iv', 'Authorization'];

  function shorten(key, value) {
    if (typeof value !== 'string' || value.length <= 14 || SHORT.indexOf(key) === -1) return value;
    if (/^[A-Z][A-Z0-9_]+$/.test(value)) return value; // an error code
    return value.slice(0, key === 'Authorization' ? 15 : 8) + '…';
  }

  function show(value) {
    if (value === undefined || value === '') return '';
    return typeof value === 'string' ? value : JSON.stringify(value, shorten);
  }

  function where(url) {
    if (url.indexOf(location.origin) === 0) return url.slice(location.origin.length);
    return url.replace(state.config.standInUrl, '[WeChat stand-in]');
  }

  function record(request, response) {
    if (!state.log) return;
    const lines = [`${request.method} ${where(request.url)}`];
    for (const name of Object.keys(request.headers || {})) lines.push(`${name}: ${shorten(name, request.headers[name])}`);
    if (request.body !== undefined) lines.push(show(request.body));
    lines.push(`→ ${response.status}${response.body === '' ? '' : '  ' + show(response.body)}`);
    state.log.push({ text: lines.join('\n'), status: response.status, body: response.body });
  }

  function note(text) {
    if (state.log) state.log.push({ text: '# ' + text });
  }

  // ---- HTTP and the WeChat stand-in -------------------------------------
  async function exchange(method, url, headers, body) {
    const init = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(url, init);
    const text = await res.text();
    let data = text;
    try {
      data = text ? JSON.parse(text) : '';
    } catch (_) {
      /* keep the text */
    }
    record({ method, url, headers, body }, { status: res.status, body: data });
    return { status: res.status, data, headers: res.headers };
  }

  async function standIn(name, body) {
    if (!state.config.standInUrl) throw new Error('This step needs a phone: only WeChat on a phone issues codes for a real AppID');
    const res = await exchange('POST', `${state.config.standInUrl}/__standin/${name}`, { 'Content-Type': 'application/json' }, body);
    if (res.status !== 200) throw new Error(`WeChat stand-in answered ${res.status}`);
    return res.data;
  }

  const phoneNumber = () => $('#phone').value.trim();
  const loginCode = async () => (await standIn('login', { openid: state.openid })).code;
  const encryptedPhone = async () => {
    const data = await standIn('encrypt-phone', { openid: state.openid, phoneNumber: phoneNumber() });
    return { errMsg: 'getPhoneNumber:ok', encryptedData: data.encryptedData, iv: data.iv };
  };

  // ---- the wx-like object the client uses -------------------------------
  function browserWx() {
    const storage = new Map();
    let alive = false;
    return {
      login(option) {
        const held = state.heldCode;
        state.heldCode = null;
        note(held ? 'wx.login() returns the code from step 1' : 'wx.login()');
        (held ? Promise.resolve(held) : loginCode()).then(
          (code) => {
            alive = true;
            option.success({ code });
          },
          (error) => option.fail({ errMsg: 'login:fail ' + error.message }),
        );
      },
      checkSession(option) {
        setTimeout(() => (alive ? option.success({ errMsg: 'checkSession:ok' }) : option.fail({ errMsg: 'checkSession:fail' })));
      },
      request(option) {
        const headers = Object.assign({ 'Content-Type': 'application/json' }, option.header);
        const body = option.method === 'GET' || option.data === undefined ? undefined : option.data;
        exchange(option.method || 'GET', option.url, headers, body).then(
          (res) => {
            const header = {};
            res.headers.forEach((value, name) => {
              header[name] = value;
            });
            option.success({ data: res.data, statusCode: res.status, header });
          },
          (error) => option.fail({ errMsg: 'request:fail ' + error.message }),
        );
      },
      getStorageSync: (key) => (storage.has(key) ? JSON.parse(storage.get(key)) : ''),
      setStorageSync: (key, value) => storage.set(key, JSON.stringify(value)),
      removeStorageSync: (key) => storage.delete(key),
    };
  }

  // ---- the steps ----------------------------------------------------------
  const phoneText = (phone) => `phone ${phone.phoneNumber} (country code ${phone.countryCode})`;

  async function sendOldTap(detail) {
    note('3. the encryptedData of the first tap reaches the server');
    try {
      await state.api.getPhoneNumber(detail);
    } catch (error) {
      if (error.code !== 'WECHAT_PHONE_RETRY') throw error;
      note(`the client logged in again and rejected with ${error.code}`);
      const refused = state.log.find((entry) => entry.status === 401);
      const code = refused?.body.error ? refused.body.error.code : error.code;
      state.retryPending = true;
      return { status: 401, code, text: `server: ${code}; client: ${error.code}`, advice: true };
    }
    return { text: 'decrypted: the session_key had not changed' };
  }

  const STEPS = {
    async code() {
      state.heldCode = await loginCode();
      return { text: `code ${state.heldCode.slice(0, 8)}…: step 2 sends it to the server` };
    },
    async login() {
      const session = await state.api.login({ force: true });
      return { text: `logged in as ${session.openid}; the token is in storage` };
    },
    async me() {
      const me = await state.api.request({ url: '/api/me' });
      return { text: `openid ${me.openid}` };
    },
    async phoneCode() {
      const { code } = await standIn('phone-code', { openid: state.openid, phoneNumber: phoneNumber() });
      return { text: phoneText(await state.api.getPhoneNumber({ errMsg: 'getPhoneNumber:ok', code })) };
    },
    async phoneLegacy() {
      return { text: phoneText(await state.api.getPhoneNumber(await encryptedPhone())) };
    },
    async stale() {
      if (!state.api.getSession()) await state.api.login();
      note('1. the user taps: WeChat encrypts the number with the current session_key');
      const detail = await encryptedPhone();
      note('2. the page logs in again in the background: wx.login gives WeChat a new session_key');
      await state.api.login({ force: true });
      return sendOldTap(detail);
    },
    async tapAgain() {
      note('the user taps again: a new encryptedData, made with the current session_key');
      const phone = await state.api.getPhoneNumber(await encryptedPhone());
      state.retryPending = false;
      return { text: phoneText(phone) };
    },
    async logout() {
      const before = state.api.getSession();
      await state.api.logout();
      if (!before) return { text: 'there was no session to end' };
      note('the old token on the protected route');
      try {
        await state.api.request({ url: '/api/me', auth: false, header: { Authorization: 'Bearer ' + before.token } });
        return { text: 'logged out, yet the old token still works' };
      } catch (error) {
        return { status: 204, text: `logged out; the old token now gets ${error.status} ${error.code}` };
      }
    },
  };

  const ADVICE =
    'What the client should do: log in again (the client has just done so, and rejected with ' +
    'WECHAT_PHONE_RETRY) and ask the user to tap the button again. This encryptedData was made with the previous ' +
    'session_key and can never be decrypted. Never call wx.login between a tap and sending its encryptedData.';

  function render(section, outcome, failed) {
    const last = state.log.filter((entry) => entry.status !== undefined).pop();
    const status = outcome.status !== undefined ? outcome.status : last ? last.status : '';
    const result = $('.result', section);
    result.dataset.state = failed ? 'error' : 'ok';
    result.dataset.status = String(status);
    result.dataset.code = outcome.code || '';
    result.textContent = `${status ? status + ' · ' : ''}${outcome.text}`;
    $('.log', section).textContent = state.log.map((entry) => entry.text).join('\n\n');
    if (section.dataset.step !== 'stale') return;
    const advice = $('.advice', section);
    advice.hidden = !outcome.advice;
    advice.textContent = outcome.advice ? ADVICE : '';
  }

  async function run(button) {
    const section = button.closest('[data-step]');
    document.querySelectorAll('button[data-action]').forEach((b) => {
      b.dataset.wasDisabled = b.disabled;
      b.disabled = true;
    });
    $('.result', section).dataset.state = 'running';
    state.log = [];
    try {
      render(section, await STEPS[button.dataset.action](), false);
    } catch (error) {
      const text = error.code ? `${error.code}: ${error.message}` : error.message;
      render(section, { status: error.status || undefined, code: error.code, text }, true);
    } finally {
      state.log = null;
      document.querySelectorAll('button[data-action]').forEach((b) => {
        b.disabled = b.dataset.wasDisabled === 'true';
      });
      $('[data-action="tapAgain"]').disabled = !state.retryPending;
      if (!state.config.standInUrl) disableAll();
      section.dataset.runs = String(Number(section.dataset.runs || 0) + 1);
    }
  }

  function disableAll() {
    document.querySelectorAll('button[data-action]').forEach((b) => {
      b.disabled = true;
    });
  }

  function randomId() {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.from(bytes, (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
  }

  async function main() {
    state.config = await (await fetch('/demo/config')).json();
    state.api = createMiniProgramClient({ wx: browserWx(), baseUrl: location.origin });
    $('#openid').textContent = state.openid;
    const mode = $('#mode');
    mode.dataset.mode = state.config.mode;
    if (state.config.standInUrl) {
      mode.textContent = `WeChat: the local stand-in at ${state.config.standInUrl} (no WeChat account needed).`;
    } else {
      mode.textContent =
        `WeChat: the real one, as AppID ${state.config.appId}. These steps need a phone: login and ` +
        'phone codes only come from WeChat on a device. Open examples/miniprogram in WeChat DevTools against this server.';
      disableAll();
    }
    document.querySelectorAll('button[data-action]').forEach((button) => button.addEventListener('click', () => run(button)));
    document.body.dataset.ready = 'true';
  }

  main().catch((error) => {
    $('#mode').textContent = 'Could not start: ' + error.message;
  });
})();
