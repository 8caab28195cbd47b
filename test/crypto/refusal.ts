import { WechatError } from '../../src/index.js';

/** What a call was refused with: its code and field (every refusal also explains itself), or `ok`. */
export function refusal(fn: () => unknown): { code: string; field?: string } | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(WechatError);
    const { code, field, message } = err as WechatError;
    expect(message.length).toBeGreaterThan(0);
    return field === undefined ? { code } : { code, field };
  }
}
