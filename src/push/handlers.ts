/**
 * The app's handlers of verified pushes, and which one an event goes to.
 */
import type { AuthorizationRevokedEvent, OtherPushEvent, UserCancelledEvent, UserInfoModifiedEvent, WechatPushEvent } from './event-types.js';

/**
 * What the app does with each kind of push. A handler may return a promise;
 * a push is handled once its handler has resolved.
 *
 * @example
 * ```ts
 * const handlers: WechatPushHandlers = {
 *   async onUserCancelled(event) { await db.users.deleteMany({ openid: event.openid }); },
 *   async onAuthorizationRevoked(event) { if (event.revokeInfo.includes('8')) await db.users.update({ openid: event.openid }, { phone: null }); },
 * };
 * ```
 */
export interface WechatPushHandlers {
  /** `user_authorization_cancellation`: delete the user's data. */
  onUserCancelled?: (event: UserCancelledEvent) => unknown;
  /** `user_authorization_revoke`: delete what matches the withdrawn items. */
  onAuthorizationRevoked?: (event: AuthorizationRevokedEvent) => unknown;
  /** `user_info_modified`: update or clear the stored avatar and nickname. */
  onUserInfoModified?: (event: UserInfoModifiedEvent) => unknown;
  /** Any other push. */
  onEvent?: (event: OtherPushEvent) => unknown;
}

const NAMES = ['onUserCancelled', 'onAuthorizationRevoked', 'onUserInfoModified', 'onEvent'] as const;

/**
 * Throws a TypeError unless `handlers` is an object whose known handlers are
 * functions, and which names no other key (a misspelt `onUserCanceled` would
 * otherwise never run).
 *
 * @example
 * ```ts
 * checkPushHandlers({ onUserCanceled() {} }); // TypeError: unknown handler onUserCanceled
 * ```
 */
export function checkPushHandlers(handlers: unknown): asserts handlers is WechatPushHandlers {
  if (handlers === null || typeof handlers !== 'object') throw new TypeError(`handlers must be an object of ${NAMES.join(', ')}`);
  for (const [name, handler] of Object.entries(handlers)) {
    if (!(NAMES as readonly string[]).includes(name)) throw new TypeError(`unknown handler ${name}; the handlers are ${NAMES.join(', ')}`);
    if (handler !== undefined && typeof handler !== 'function') throw new TypeError(`${name} must be a function`);
  }
}

/**
 * Run the handler of `event`'s kind, if the app gave one.
 *
 * @example
 * ```ts
 * await runPushHandler(handlers, outcome.event); // then mark outcome.event.id handled
 * ```
 */
export async function runPushHandler(handlers: WechatPushHandlers, event: WechatPushEvent): Promise<void> {
  switch (event.kind) {
    case 'user_cancelled':
      await handlers.onUserCancelled?.(event);
      return;
    case 'authorization_revoked':
      await handlers.onAuthorizationRevoked?.(event);
      return;
    case 'user_info_modified':
      await handlers.onUserInfoModified?.(event);
      return;
    case 'other':
      await handlers.onEvent?.(event);
      return;
  }
}
