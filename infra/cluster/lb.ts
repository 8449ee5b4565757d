/**
 * A tiny TCP round-robin balancer for the cluster profile (infra/cluster/cluster.sh): each new
 * connection goes to the next backend; a backend that refuses the connection is skipped for a few
 * seconds and the connection tries the next one. Connection-level, so it serves HTTP/1.1 (the API),
 * SSE streams (the tracker: a stream cut by a dead backend reconnects through here to the other) and
 * HTTP/2 (the Temporal frontend's gRPC) alike. Not for production (use the platform's load balancer).
 *
 * Usage: tsx infra/cluster/lb.ts <name> <listen port> <backend host:port> [<backend host:port> ...]
 */
import net from 'node:net';

const [name, portArg, ...backendArgs] = process.argv.slice(2);
if (!name || !portArg || backendArgs.length === 0) {
  console.error('usage: lb.ts <name> <listen port> <host:port> [<host:port> ...]');
  process.exit(2);
}
const backends = backendArgs.map((b) => {
  const [host, port] = b.split(':');
  return { host: host!, port: Number(port), downUntil: 0 };
});
let next = 0;
const log = (msg: string) => console.log(JSON.stringify({ time: new Date().toISOString(), lb: name, msg }));

function connect(client: net.Socket, tried: number): void {
  if (tried >= backends.length) {
    client.destroy();
    return;
  }
  // Round robin, skipping backends that refused recently (unless every one did).
  let b = backends[next++ % backends.length]!;
  for (let i = 0; i < backends.length && b.downUntil > Date.now(); i++)
    b = backends[next++ % backends.length]!;
  const upstream = net.connect({ host: b.host, port: b.port });
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  });
  upstream.on('error', (err) => {
    if (!connected) {
      b.downUntil = Date.now() + 3000;
      log(`backend ${b.host}:${b.port} refused (${err.message}); trying the next`);
      connect(client, tried + 1);
    } else client.destroy();
  });
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
  client.on('error', () => upstream.destroy());
}

const server = net.createServer({ pauseOnConnect: true }, (client) => connect(client, 0));
server.listen(Number(portArg), '127.0.0.1', () =>
  log(`listening on 127.0.0.1:${portArg} for ${backendArgs.join(', ')}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
