// NestJS on Express: the library's router at /wechat, GET /api/me behind a
// guard built on requireWechatSession, the user through @WechatUser().
// Run: npm run build && npx tsc -p examples/nestjs && node examples/nestjs/dist/main.mjs
import { memoryStore } from 'express-wechat-session/adapters/memory';
import { onShutdown, serve, wechatFromEnv } from '../../shared/env.mjs';
import { createApp } from './app.module.mjs';

const { wechat } = await wechatFromEnv();
const app = await createApp({ ...wechat, store: memoryStore() });
onShutdown(() => app.close());
// serve() listens on HOST:PORT as every example does; on its own, a Nest app calls `await app.listen(3000)`.
await serve(app.getHttpAdapter().getInstance(), 'nestjs example');
