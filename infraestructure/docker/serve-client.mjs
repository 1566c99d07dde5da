// Serves the built client (argv[2]) on PORT and sends /api/* to LocalStack
// (API_UPSTREAM) with the Host header LocalStack picks the target by. The
// deploy service writes the stack's outputs to STACK_OUTPUTS; with
// LIGHTPRESS_FRONT=functionurl (LocalStack's free plan) each /api/<prefix>
// goes to the URL of the function serving it (the <Service>Url outputs,
// whose description starts with the prefix), with httpapi (a paid plan) all
// of /api goes to the HTTP API (ApiUrl). Used by docker-compose.yml only.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { extname, join, normalize } from 'node:path';

const root = process.argv[2] || 'dist';
const port = Number(process.env.PORT || 8080);
const upstream = new URL(process.env.API_UPSTREAM || 'http://localstack:4566');
const front = process.env.LIGHTPRESS_FRONT || 'functionurl';
let outputs;
try {
  outputs = JSON.parse(readFileSync(process.env.STACK_OUTPUTS || '/shared/outputs.json', 'utf8'));
} catch (e) {
  console.error(`serve-client: no stack outputs (the deploy service writes them): ${e.message}`);
  process.exit(1);
}
// LocalStack serves a function URL or an HTTP API on its edge port, by Host.
const localHost = (u) => new URL(u).hostname.replace(/\.amazonaws\.com$/, '.localhost.localstack.cloud') + ':' + (upstream.port || '4566');
const routes = new Map();
let apiHost;
if (front === 'functionurl') {
  for (const o of outputs) {
    const prefix = (o.Description || '').match(/^\/api\/([a-z]+) /);
    if (o.OutputKey.endsWith('Url') && prefix) routes.set(prefix[1], localHost(o.OutputValue));
  }
} else {
  const api = outputs.find((o) => o.OutputKey === 'ApiUrl');
  if (api) apiHost = new URL(api.OutputValue).hostname.split('.')[0] + '.execute-api.localhost.localstack.cloud:' + (upstream.port || '4566');
}
if (!apiHost && routes.size === 0) {
  console.error(`serve-client: the stack outputs name no ${front} front door (function URLs need EnableFunctionUrls=true)`);
  process.exit(1);
}
// hostFor is the Host of the front door /api/<prefix>/... goes to.
const hostFor = (pathname) => (routes.size > 0 ? routes.get(pathname.split('/')[2]) : apiHost);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
};

createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    const host = hostFor(url.pathname);
    if (!host) {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'https://lightpress.dev/problems/not-found', title: 'Not found', status: 404,
        detail: `No service serves ${url.pathname}.` }));
      return;
    }
    const headers = { ...req.headers, host };
    const up = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', (e) => {
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '2' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'API unreachable', status: 503, detail: e.code }));
    });
    req.pipe(up);
    return;
  }
  let file = normalize(join(root, decodeURIComponent(url.pathname)));
  if (!file.startsWith(normalize(root))) {
    res.writeHead(404).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
  } catch {
    file = join(root, 'index.html'); // the client's own routes
  }
  try {
    statSync(file);
  } catch {
    res.writeHead(404).end();
    return;
  }
  const immutable = file.includes(`${join(root, 'assets')}`);
  res.writeHead(200, {
    'content-type': types[extname(file)] || 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(file).pipe(res);
}).listen(port, '0.0.0.0', () =>
  console.log(`serve-client: http://127.0.0.1:${port} (API ${apiHost || [...routes].map((r) => r.join(' -> ')).join(', ')} via ${upstream.host})`));
