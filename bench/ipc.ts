/**
 * The child side of the bench's IPC: answer each request from the parent
 * with `handle`, and exit when the parent goes away.
 */
export type Handler = (request: Record<string, unknown>) => Promise<unknown> | unknown;

interface Request {
  id: number;
  [field: string]: unknown;
}

function send(message: unknown): void {
  process.send?.(message);
}

/**
 * Tell the parent this process is ready (with `info`), then serve its requests.
 *
 * @example
 * ```ts
 * serveParent({ port }, async (request) => (request.type === 'cpu' ? process.cpuUsage() : undefined));
 * ```
 */
export function serveParent(info: Record<string, unknown>, handle: Handler): void {
  if (!process.send) throw new Error('this bench process must be started by bench/run.ts (it needs an IPC channel)');
  process.on('message', (request: Request) => {
    Promise.resolve()
      .then(() => handle(request))
      .then(
        (result) => send({ id: request.id, ok: true, result }),
        (error: unknown) => send({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', info });
}

/** Report a start-up failure to the parent and exit. */
export function failStart(error: unknown): void {
  send({ type: 'failed', error: error instanceof Error ? error.stack ?? error.message : String(error) });
  setTimeout(() => process.exit(1), 50);
}
