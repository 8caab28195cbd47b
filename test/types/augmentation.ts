// Type-level check (run by `tsc --noEmit` in the test command): an app extends
// WechatSessionData by declaration merging through the package's entry module.
import type { WechatSession } from '../../src/index.js';

declare module '../../src/index.js' {
  interface WechatSessionData {
    userId: number;
  }
}

export function userIdOf(session: WechatSession): number | undefined {
  const id: number | undefined = session.data.userId;
  // @ts-expect-error a field that was not declared
  void session.data.notDeclared;
  return id;
}
