/**
 * The English and Chinese documentation describe the same package: each
 * guide exists in both languages, and each pair of pages names the same
 * options and the same error codes. The READMEs name every option and every
 * error code the package has.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_STATUS } from '../../src/errors';
import { OPTION_NAMES } from '../../src/options/defaults';
import { guidePairs, read, ROOT } from './markdown';

/** The option names of `wechatSession`: the list the option check uses. */
const optionNames = (): string[] => [...OPTION_NAMES];

const NESTED = ['apps[].appId', 'apps[].appSecret', 'component.appId', 'component.accessToken', 'wecom.corpId', 'wecom.corpSecret', 'wecom.apiBaseUrl'];
/** Option names the docs describe ahead of the code (the signed-calls contract). */
const DESCRIBED = ['apiSecurity', 'aesKey', 'aesSn', 'privateKey', 'rsaSn', 'platformPublicKey', 'platformSn'];

/** The mini-program client's own codes, read from its union type. */
function clientCodes(): string[] {
  const source = read(join(ROOT, 'packages', 'miniprogram', 'src', 'errors.ts'));
  const union = /export type ClientErrorCode =([\s\S]*?);/.exec(source);
  if (!union) throw new Error('ClientErrorCode not found in packages/miniprogram/src/errors.ts');
  return [...union[1].matchAll(/'(WECHAT_[A-Z_]+)'/g)].map((m) => m[1]);
}

const OPTIONS = [...optionNames(), ...NESTED, ...DESCRIBED];

/** The options a page names as inline code (`ttl`, `wecom.corpId`). */
function optionsNamed(text: string): string[] {
  const named = new Set<string>();
  for (const m of text.matchAll(/`([A-Za-z][A-Za-z.[\]]*)`/g)) if (OPTIONS.includes(m[1])) named.add(m[1]);
  return [...named].sort();
}

/** Environment variables of the samples, which share the codes' look. */
const ENVIRONMENT = /^WECHAT_(APP_ID|APP_SECRET|API_.*)$/;

/** The error codes a page names anywhere, code samples included. */
function codesNamed(text: string): string[] {
  const names = [...text.matchAll(/\bWECHAT_[A-Z]+(?:_[A-Z]+)+\b/g)].map((m) => m[0]);
  return [...new Set(names.filter((name) => !ENVIRONMENT.test(name)))].sort();
}

const KNOWN_CODES = new Set([...Object.keys(ERROR_STATUS), ...clientCodes()]);
const README = read(join(ROOT, 'README.md'));
const README_ZH = existsSync(join(ROOT, 'README.zh-CN.md')) ? read(join(ROOT, 'README.zh-CN.md')) : '';

describe('the READMEs', () => {
  it('name every option of wechatSession and every nested option', () => {
    const named = optionsNamed(README);
    expect([...optionNames(), ...NESTED].filter((name) => !named.includes(name))).toEqual([]);
  });

  it('name every error code the server sends and every code the mini-program client raises', () => {
    const named = codesNamed(README);
    expect([...Object.keys(ERROR_STATUS), ...clientCodes()].filter((code) => !named.includes(code))).toEqual([]);
  });

  it('name no error code the package does not have', () => {
    expect(codesNamed(README).filter((code) => !KNOWN_CODES.has(code))).toEqual([]);
  });

  it('link to each other', () => {
    expect(README).toContain('(README.zh-CN.md)');
    expect(README_ZH).toContain('(README.md)');
  });

  it('name the same options and error codes in both languages', () => {
    expect(optionsNamed(README_ZH)).toEqual(optionsNamed(README));
    expect(codesNamed(README_ZH)).toEqual(codesNamed(README));
  });
});

describe('the guides', () => {
  const pairs = guidePairs();

  it('are there, and the README links to each in both languages', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(8);
    for (const { name } of pairs) {
      expect(README).toContain(`(docs/${name})`);
      expect(README).toContain(`(docs/zh-CN/${name})`);
      expect(README_ZH).toContain(`(docs/zh-CN/${name})`);
    }
  });

  it.each(pairs.map((pair) => [pair.name, pair] as const))('%s exists in both languages and names the same options and error codes', (_name, pair) => {
    expect({ en: existsSync(pair.en), zh: existsSync(pair.zh) }).toEqual({ en: true, zh: true });
    const en = read(pair.en);
    const zh = read(pair.zh);
    expect(optionsNamed(zh)).toEqual(optionsNamed(en));
    expect(codesNamed(zh)).toEqual(codesNamed(en));
    expect(codesNamed(en).filter((code) => !KNOWN_CODES.has(code))).toEqual([]);
  });
});
