// `npm run demo`: the demo app on the embedded defaults (memory store; a
// local WeChat stand-in unless WECHAT_APP_ID and WECHAT_APP_SECRET are set).
import { serve, wechatFromEnv } from '../shared/env.mjs';
import { createDemoApp } from './app.mjs';

const { wechat, standIn } = await wechatFromEnv();
const url = await serve(createDemoApp({ wechat, standInUrl: standIn?.url }), 'demo');
console.log(`Open ${url}/ to play the mini-program's part (Ctrl+C to stop)`);
if (!standIn) console.log(`Talking to real WeChat as ${wechat.appId}: login codes come from wx.login on a phone`);
