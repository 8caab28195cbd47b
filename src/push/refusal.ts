/**
 * Why a message push was refused. Every reason answers 401
 * `WECHAT_PUSH_REJECTED` and changes nothing; the reason goes to the log.
 *
 * - `method_not_allowed`: neither `GET` (the URL check) nor `POST`.
 * - `missing_parameter`: a query parameter the mode needs is absent, given twice or not text.
 * - `bad_timestamp`: `timestamp` is not a whole number of seconds.
 * - `stale_timestamp`: `timestamp` is further from the clock than {@link PUSH_TIMESTAMP_TOLERANCE_SECONDS}.
 * - `bad_signature`: `signature` (URL check, plaintext mode) or `msg_signature` (encrypted modes) does not match.
 * - `body_too_large`: the body is over {@link PUSH_BODY_LIMIT_BYTES}.
 * - `malformed_body`: the body is not UTF-8, or not a JSON object or `<xml>` document this reader takes.
 * - `encryption_required`: an `encodingAESKey` is configured but the push carries no `msg_signature` or `Encrypt`.
 * - `encryption_not_configured`: the push is encrypted but no `encodingAESKey` is configured.
 * - `bad_ciphertext`: `Encrypt` is not base64 of whole 32-byte blocks, or its padding or length prefix is wrong.
 * - `wrong_app_id`: the AppID inside the ciphertext, or the message's `AppID`, is another app's.
 * - `malformed_message`: the message lacks what an event needs (`MsgType` or `Event`, `CreateTime`, the user of an authorization change).
 *
 * @example
 * ```ts
 * const outcome = openPush(request, config);
 * if (outcome.kind === 'refused') logger.warn({ reason: outcome.reason satisfies PushRefusalReason }, 'push refused');
 * ```
 */
export type PushRefusalReason =
  | 'method_not_allowed'
  | 'missing_parameter'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'bad_signature'
  | 'body_too_large'
  | 'malformed_body'
  | 'encryption_required'
  | 'encryption_not_configured'
  | 'bad_ciphertext'
  | 'wrong_app_id'
  | 'malformed_message';

/**
 * Thrown by the push readers (`decryptPush`, `readPushBody`, `toPushEvent`);
 * `openPush` turns it into `{ kind: 'refused', reason }`. Its message never
 * holds the token, the key or the body.
 *
 * @example
 * ```ts
 * try {
 *   decryptPush(encodingAESKey, encrypt, appId);
 * } catch (err) {
 *   if (err instanceof PushRefusal) console.log(err.reason); // 'bad_ciphertext'
 * }
 * ```
 */
export class PushRefusal extends Error {
  readonly reason: PushRefusalReason;

  constructor(reason: PushRefusalReason) {
    super(`WeChat message push refused: ${reason}`);
    this.name = 'PushRefusal';
    this.reason = reason;
  }
}

/** Largest push body read, in bytes (WeChat's pushes are a few kilobytes; safe mode triples a message). */
export const PUSH_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * How far a push's `timestamp` may be from the server's clock, either way,
 * in seconds. A replay inside this window carries a push already seen, so
 * whoever de-duplicates pushes by their `id` must remember each id for at
 * least twice this long.
 */
export const PUSH_TIMESTAMP_TOLERANCE_SECONDS = 300;
