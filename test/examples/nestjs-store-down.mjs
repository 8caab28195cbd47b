// The NestJS example's app over a memory store that goes down on SIGUSR2:
// from then on every store operation rejects, as a store whose server is
// gone does. Prints "store down" once the switch is made.
import { memoryStore } from 'express-wechat-session/adapters/memory';
import { createApp } from '../../examples/nestjs/dist/app.module.mjs';
import { onShutdown, serve, wechatFromEnv } from '../../examples/shared/env.mjs';

const memory = memoryStore();
let down = false;
const store = { kind: 'memory (switchable)' };
for (const method of ['get', 'set', 'destroy', 'replace', 'touch', 'add', 'destroyIfEqual']) {
  store[method] = (...args) => (down ? Promise.reject(new Error('connection refused')) : memory[method](...args));
}
process.on('SIGUSR2', () => {
  down = true;
  console.log('store down');
});

const { wechat } = await wechatFromEnv();
const app = await createApp({ ...wechat, store });
onShutdown(() => app.close());
await serve(app.getHttpAdapter().getInstance(), 'nestjs store-down app');
