#!/usr/bin/env node
// Runs the e2e script against e2e/mock-server.mjs (serving the built client),
// for when the real backend is not at hand: npm run build && npm run e2e:mock
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const mock = spawn(process.execPath, [here('./mock-server.mjs')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });

const url = await new Promise((resolve, reject) => {
  let out = '';
  mock.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  mock.on('exit', (code) => reject(new Error(`mock server exited (${code})`)));
});
console.log(`e2e against the mock at ${url}`);

const e2e = spawn(process.execPath, [here('./play.spec.mjs')], { env: { ...process.env, LIGHTPRESS_URL: url }, stdio: 'inherit' });
const code = await new Promise((resolve) => e2e.on('exit', (c) => resolve(c ?? 1)));
mock.kill();
process.exit(code);
