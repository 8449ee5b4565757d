// A read-only front for the Temporal Web UI of the local stacks (issue 14). The dev server's embedded UI
// has no read-only switch (the CLI builds the UI server's configuration in code: no flag or environment
// variable sets `disableWriteActions`), so the UI listens on an internal loopback port and this proxy
// is what people open: it forwards GET and HEAD only (terminate, reset, signal, cancel, batch and
// schedule changes are POST/DELETE: refused with 403), and answers the UI's settings with
// `DisableWriteActions: true`, so the UI hides those buttons. A deployment's own Temporal UI runs with
// `TEMPORAL_DISABLE_WRITE_ACTIONS=true` (ui-server) or behind the deployment's sign-in.
//
//   node infra/temporal-ui-readonly.mjs <listen port> <UI port>     (infra/stack.sh starts it)
import http from 'node:http';

const [listenPort, uiPort] = process.argv.slice(2).map(Number);
if (!listenPort || !uiPort) {
  console.error('usage: temporal-ui-readonly.mjs <listen port> <UI port>');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ code: 7, message: 'read-only Temporal Web UI / 只读:不允许终止、重置或发送信号' }),
    );
    return;
  }
  const settings = (req.url ?? '').split('?')[0] === '/api/v1/settings';
  const headers = { ...req.headers, host: `127.0.0.1:${uiPort}` };
  if (settings) delete headers['accept-encoding']; // read as plain JSON to rewrite it
  const upstream = http.request(
    { host: '127.0.0.1', port: uiPort, method: req.method, path: req.url, headers },
    (up) => {
      if (!settings || up.statusCode !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      let body = '';
      up.setEncoding('utf8');
      up.on('data', (d) => (body += d));
      up.on('end', () => {
        let text = body;
        try {
          const settings = JSON.parse(body);
          // Every write switch the UI knows (WorkflowTerminateDisabled, WorkflowResetDisabled, …) turned off too.
          for (const k of Object.keys(settings)) if (/Disabled$/.test(k)) settings[k] = true;
          text = JSON.stringify({ ...settings, DisableWriteActions: true });
        } catch {
          /* not JSON: passed on as it is */
        }
        const out = { ...up.headers, 'content-length': Buffer.byteLength(text) };
        delete out['transfer-encoding'];
        res.writeHead(200, out);
        res.end(text);
      });
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('Temporal Web UI not reachable');
  });
  req.pipe(upstream);
});
server.listen(listenPort, '127.0.0.1', () =>
  console.log(`read-only Temporal UI on 127.0.0.1:${listenPort} → ${uiPort}`),
);
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => server.close(() => process.exit(0)));
