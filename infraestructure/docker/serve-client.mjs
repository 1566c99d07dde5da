// Serves the built client (argv[2]) on PORT and sends /api/* to the HTTP
// API in LocalStack: to API_UPSTREAM with the Host header API_HOST, which
// is how LocalStack picks the API. Used by docker-compose.yml only.
import { createReadStream, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { extname, join, normalize } from 'node:path';

const root = process.argv[2] || 'dist';
const port = Number(process.env.PORT || 8080);
const upstream = new URL(process.env.API_UPSTREAM || 'http://localstack:4566');
const apiHost = process.env.API_HOST;
if (!apiHost) {
  console.error('serve-client: API_HOST is not set (the deploy service writes it to /shared/api.env)');
  process.exit(1);
}
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
};

createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    const headers = { ...req.headers, host: apiHost };
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
}).listen(port, '0.0.0.0', () => console.log(`serve-client: http://127.0.0.1:${port} (API ${apiHost} via ${upstream.host})`));
