// The client lives on the app, so that every page shares one login and one token.
// `require('express-wechat-session-miniprogram')` works after Tools > Build npm in WeChat DevTools.
const { createMiniProgramClient } = require('express-wechat-session-miniprogram');
const config = require('./config');

App({
  api: createMiniProgramClient({ baseUrl: config.baseUrl }),

  onLaunch() {
    // Log in early: the stored token is reused while wx.checkSession passes, and the
    // legacy phone flow then has a session when the user first taps.
    return this.api.login().catch((err) => console.warn('login failed', err.code));
  },
});
