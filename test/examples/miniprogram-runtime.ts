/**
 * Just enough of the mini-program runtime to run a mini-program's own files
 * in Node: CommonJS modules that see `wx`, `App`, `Page` and `getApp`, npm
 * packages resolved as "Build npm" lays them out (a package name maps to its
 * `miniprogram` directory), pages registered from app.json.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';

type Methods = Record<string, any>;

export interface PageInstance extends Methods {
  data: Record<string, unknown>;
  setData(patch: Record<string, unknown>): void;
}

export interface MiniProgram {
  /** What the app passed to `App()`, as `getApp()` returns it. */
  app: Methods;
  /** A new instance of the page registered at `route` (e.g. `pages/index/index`). */
  page(route: string): PageInstance;
}

export interface LoadOptions {
  /** The `wx` object the files see. */
  wx: object;
  /** Package name → the entry file of its built mini-program directory. */
  packages: Record<string, string>;
  /** Files of the mini-program (path from its root) replaced by these exports, e.g. its config. */
  replace?: Record<string, unknown>;
}

/** Load the mini-program in `root`: app.js, then every page of app.json. */
export function loadMiniProgram(root: string, options: LoadOptions): MiniProgram {
  let app: Methods | undefined;
  let route = '';
  const pages = new Map<string, Methods>();
  const cache = new Map<string, { exports: unknown }>();
  const replaced = new Map(Object.entries(options.replace ?? {}).map(([file, value]) => [join(root, file), value]));
  const globals = {
    App: (definition: Methods) => void (app = definition),
    Page: (definition: Methods) => void pages.set(route, definition),
    getApp: () => app,
  };

  function locate(from: string, spec: string): string {
    if (Object.hasOwn(options.packages, spec)) return options.packages[spec];
    if (!spec.startsWith('.')) throw new Error(`${spec} is not an npm package built for the mini-program`);
    const file = resolve(from, spec);
    return file.endsWith('.js') ? file : `${file}.js`;
  }

  function load(file: string): unknown {
    if (replaced.has(file)) return replaced.get(file);
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(file, module);
    const wrapper = `(function (require, module, exports, wx, App, Page, getApp) {\n${readFileSync(file, 'utf8')}\n})`;
    const run = runInThisContext(wrapper, { filename: file }) as (...args: unknown[]) => void;
    const localRequire = (spec: string) => load(locate(dirname(file), spec));
    run(localRequire, module, module.exports, options.wx, globals.App, globals.Page, globals.getApp);
    return module.exports;
  }

  const manifest = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as { pages: string[] };
  load(join(root, 'app.js'));
  for (route of manifest.pages) load(join(root, `${route}.js`));
  if (!app) throw new Error('app.js did not call App()');

  return {
    app,
    page(at) {
      const definition = pages.get(at);
      if (!definition) throw new Error(`no page registered at ${at}`);
      const data = structuredClone(definition.data ?? {}) as Record<string, unknown>;
      const page: PageInstance = { ...definition, data, setData: (patch) => void Object.assign(data, patch) };
      return page;
    },
  };
}
