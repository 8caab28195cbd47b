// Serves the mini-program client (a few small CommonJS files) to the browser
// as one script: each file becomes a function in a tiny module table, and
// the result is exposed as `window.wechatMiniProgramClient`.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The directory of `express-wechat-session-miniprogram` (the built client). */
export function clientDir() {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('express-wechat-session-miniprogram'));
  } catch {
    throw new Error('The mini-program client is not built: run `npm run build` first');
  }
}

/**
 * One browser script holding every module of the client.
 *
 * @example
 * const script = bundleClient(clientDir());
 * app.get('/client.js', (req, res) => res.type('js').send(script));
 */
export function bundleClient(dir) {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .sort();
  const table = files.map((name) => `${JSON.stringify(name)}: function (require, module, exports) {\n${readFileSync(join(dir, name), 'utf8')}\n}`).join(',\n');
  return `(function () {
var files = {
${table}
};
var cache = {};
function load(name) {
  name = name.replace(/^\\.\\//, '');
  if (!/\\.js$/.test(name)) name += '.js';
  if (!files[name]) throw new Error('mini-program client: no module ' + name);
  if (!cache[name]) {
    cache[name] = { exports: {} };
    files[name](load, cache[name], cache[name].exports);
  }
  return cache[name].exports;
}
window.wechatMiniProgramClient = load('index.js');
})();
`;
}
