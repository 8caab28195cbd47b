import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one Redis that can go silent: while
 * silent, bytes in both directions wait in the proxy (a network partition
 * that keeps the connection open: nothing fails, nothing arrives). `heal()`
 * delivers what waited, in order.
 */
export interface SilentProxy {
  readonly address: string;
  silence(): void;
  heal(): void;
  close(): Promise<void>;
}

interface Direction {
  to: Socket;
  queue: Buffer[];
}

/** Start a {@link SilentProxy} to `target` (`host:port`). */
export async function startSilentProxy(target: string): Promise<SilentProxy> {
  const [host, port] = [target.split(':')[0]!, Number(target.split(':')[1])];
  const directions = new Set<Direction>();
  const sockets = new Set<Socket>();
  let silent = false;
  const forward = (from: Socket, to: Socket) => {
    const direction: Direction = { to, queue: [] };
    directions.add(direction);
    from.on('data', (chunk: Buffer) => (silent ? direction.queue.push(chunk) : to.write(chunk)));
  };
  const server = createServer((client) => {
    const upstream = connect({ host, port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    silence: () => void (silent = true),
    heal() {
      silent = false;
      for (const d of directions) for (const chunk of d.queue.splice(0)) if (!d.to.destroyed) d.to.write(chunk);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
