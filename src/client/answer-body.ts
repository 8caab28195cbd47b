/**
 * Largest WeChat answer read, in bytes. WeChat's answers to the calls this
 * library makes are a few hundred bytes (a phone number answer, the largest,
 * is under 1 KiB); 64 KiB leaves room for any field WeChat may add, and an
 * answer past it is refused without being read further.
 */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** Why an answer was not read: it is (or says it is) larger than {@link MAX_ANSWER_BYTES}. */
export class AnswerTooLarge extends Error {}

const utf8 = new TextDecoder('utf-8');

/**
 * The answer's body as text, read chunk by chunk up to `limit` bytes. Past
 * the limit (or when `Content-Length` already says so) the stream is
 * cancelled, which closes the connection: the rest is never buffered. A
 * failure of the stream itself (a reset, the abort signal) rejects as is.
 */
export async function readCapped(response: Response, limit = MAX_ANSWER_BYTES): Promise<string> {
  const body = response.body;
  if (!body) return '';
  if (Number(response.headers.get('content-length')) > limit) {
    await body.cancel().catch(() => undefined);
    throw new AnswerTooLarge();
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge();
    }
    chunks.push(value);
  }
  return utf8.decode(Buffer.concat(chunks, size));
}
