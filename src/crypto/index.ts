/**
 * `express-wechat-session/crypto`: WeChat's data decryption and signatures,
 * for data the middleware does not read for you.
 *
 * @example
 * ```ts
 * import { decryptWechatData } from 'express-wechat-session/crypto';
 *
 * const data = decryptWechatData(sessionKey, encryptedData, iv, { appId });
 * ```
 */
export { decryptWechatData, checkWatermark, type DecryptOptions } from './decrypt.js';
export { verifyUserSignature, loginStateSignature } from './signature.js';
