import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one store server that can hold the
 * client's bytes on the wire: once a chunk matches, that chunk and every
 * later one of the same connection wait until {@link HoldingProxy.release}.
 * It models a write delayed in the network (or a stalled path to the
 * server) for one client while others reach the server directly; held
 * bytes still arrive after the client has closed its connection.
 */
export interface HoldingProxy {
  /** `127.0.0.1:port` of the proxy. */
  readonly address: string;
  /** Chunks held so far (since the last release). */
  readonly held: number;
  /** Hold chunks from now on once one matches `match`. */
  holdWhen(match: (chunk: Buffer) => boolean): void;
  /** Send every held chunk on, in order, and stop holding. */
  release(): void;
  close(): Promise<void>;
}

interface Pipe {
  client: Socket;
  upstream: Socket;
  holding: boolean;
  queue: Buffer[];
}

/** Start a {@link HoldingProxy} to `target` (`host:port`). */
export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const [host, port] = [target.split(':')[0]!, Number(target.split(':')[1])];
  const pipes = new Set<Pipe>();
  let match: ((chunk: Buffer) => boolean) | undefined;
  let held = 0;
  const server = createServer((client) => {
    const pipe: Pipe = { client, upstream: connect({ host, port }), holding: false, queue: [] };
    pipes.add(pipe);
    const end = () => {
      client.destroy();
      pipe.upstream.destroy();
      pipes.delete(pipe);
    };
    client.on('data', (chunk: Buffer) => {
      if (!pipe.holding && match?.(chunk)) pipe.holding = true;
      if (!pipe.holding) return void pipe.upstream.write(chunk);
      pipe.queue.push(chunk);
      held += 1;
    });
    pipe.upstream.on('data', (chunk: Buffer) => client.write(chunk));
    // Bytes already sent still reach the server after the client hangs up: keep them until release.
    client.on('close', () => (pipe.holding ? undefined : end())).on('error', () => undefined);
    pipe.upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    get held() {
      return held;
    },
    holdWhen(next) {
      match = next;
    },
    release() {
      match = undefined;
      held = 0;
      for (const pipe of pipes) {
        pipe.holding = false;
        for (const chunk of pipe.queue.splice(0)) pipe.upstream.write(chunk);
        if (pipe.client.destroyed) pipe.upstream.end();
      }
    },
    async close() {
      for (const pipe of pipes) {
        pipe.client.destroy();
        pipe.upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A RESP chunk carrying a `SET` command (node-redis sends command names in upper case). */
export const isRedisSet = (chunk: Buffer): boolean => chunk.includes('\r\n$3\r\nSET\r\n');

/** A memcached binary-protocol chunk carrying a Set (0x01) or Replace (0x03) request. */
export const isMemcachedWrite = (chunk: Buffer): boolean => chunk[0] === 0x80 && (chunk[1] === 0x01 || chunk[1] === 0x03);
