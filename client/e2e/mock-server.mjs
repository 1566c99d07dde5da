#!/usr/bin/env node
// A stand-in for the Lightpress backend, for trying the client and the e2e
// script while the real services are being built: it serves client/dist and
// answers the routes of /shared/API.md from memory, replaying results with
// the client's own rules module (src/rules, transpiled at start-up).
//
//   npm run build && node e2e/mock-server.mjs          # http://127.0.0.1:5174
//   PORT=0 prints the port it chose: "mock listening on http://127.0.0.1:NNNN"
//
// Knobs (environment):
//   MOCK_MISSING=achievements,tips   answer those prefixes with a plain 404
//   MOCK_FAIL_RESULTS=2              the first 2 result submissions get a 503
//   MOCK_SLOW_MS=300                 delay every API answer
//
// It is not the backend: no persistence, no events, lenient validation.

import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const missing = new Set((process.env.MOCK_MISSING ?? '').split(',').filter(Boolean));
let failResults = Number(process.env.MOCK_FAIL_RESULTS ?? 0);
const slowMs = Number(process.env.MOCK_SLOW_MS ?? 0);

/** loadRules transpiles src/rules/*.ts (no tests) to a temp folder and imports it. */
async function loadRules() {
  const src = join(root, 'src', 'rules');
  const out = mkdtempSync(join(tmpdir(), 'lightpress-rules-'));
  for (const name of readdirSync(src)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(src, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    const js = outputText.replace(/from '(\.\/[\w-]+)'/g, "from '$1.js'");
    writeFileSync(join(out, name.replace(/\.ts$/, '.js')), js);
  }
  return import(pathToFileURL(join(out, 'index.js')).href);
}

const rules = await loadRules();

// ---- state ----
const players = new Map(); // id -> player
const tokens = new Map(); // token -> player id
const refreshTokens = new Map(); // refresh token -> player id

/** pairFor starts or continues a session: an access token (an hour here) and its refresh token. */
function pairFor(id) {
  const token = randomBytes(24).toString('base64url');
  const refreshToken = randomBytes(24).toString('base64url');
  tokens.set(token, id);
  refreshTokens.set(refreshToken, id);
  return { token, tokenExpiresAt: new Date(Date.now() + 3600_000).toISOString(), refreshToken };
}
const games = new Map(); // gameId -> game
const unlocked = new Map(); // player id -> [{id, unlockedAt, gameId}]

const CATALOGUE = [
  { id: 'first-game', name: { es: 'Primera partida', en: 'First game' }, description: { es: 'Termina una partida.', en: 'Finish a game.' } },
  { id: 'score-100', name: { es: 'Cien puntos', en: 'A hundred points' }, description: { es: 'Consigue 100 puntos en una partida.', en: 'Score 100 points in one game.' } },
  { id: 'combo-10', name: { es: 'En racha', en: 'On a roll' }, description: { es: 'Llega a un combo de 10.', en: 'Reach a combo of 10.' } },
  { id: 'memory-5', name: { es: 'Memoria de elefante', en: 'Elephant memory' }, description: { es: 'Llega al nivel 5 en memoria.', en: 'Reach level 5 in memory.' } },
];

const TIPS = {
  es: [
    ['tip', 'Evita movimientos bruscos ya que te pueden costar una vida'],
    ['bonus', 'Si superas el record subimos tu beca en la escuela'],
    ['lore', 'Este juego es tan sencillo que lo dificil sera no jugarlo'],
    ['status', 'Estas en fuego'],
  ],
  en: [
    ['tip', 'Avoid sudden moves: they can cost you a life'],
    ['bonus', 'Beat the record and we raise your school grant'],
    ['lore', 'This game is so simple that the hard part is not playing it'],
    ['status', "You're on fire"],
  ],
};

// ---- helpers ----
function send(res, status, body, type = 'application/json') {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(data);
}

function problem(res, status, title, detail) {
  send(res, status, { type: `https://lightpress.dev/problems/${title.toLowerCase().replace(/\W+/g, '-')}`, title, status, detail }, 'application/problem+json');
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  if (!chunks.length) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

function auth(req) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const id = m && tokens.get(m[1]);
  return id ? players.get(id) : null;
}

function publicPlayer(p, withLocale = true) {
  const { locale, ...rest } = p;
  return withLocale ? { ...rest, locale } : rest;
}

function periodStart(period) {
  const now = new Date();
  if (period === 'day') return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === 'week') {
    const day = (now.getUTCDay() + 6) % 7; // Monday = 0
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day);
  }
  return 0;
}

function periodKey(period) {
  if (period === 'all') return 'all';
  const d = new Date(periodStart(period));
  if (period === 'day') return d.toISOString().slice(0, 10);
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 3));
  const jan4 = new Date(Date.UTC(t.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round((t - jan4) / 86400000 / 7 - ((jan4.getUTCDay() + 6) % 7) / 7 + 3 / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** board ranks each player's best accepted game of `mode` in `period`. */
function board(mode, period) {
  const since = periodStart(period);
  const best = new Map();
  for (const g of games.values()) {
    if (g.mode !== mode || g.result?.status !== 'accepted' || g.finishedAt < since) continue;
    const cur = best.get(g.playerId);
    if (!cur || g.result.score > cur.score || (g.result.score === cur.score && g.finishedAt < cur.at)) {
      best.set(g.playerId, { score: g.result.score, level: g.result.level, gameId: g.gameId, at: g.finishedAt });
    }
  }
  return [...best.entries()]
    .sort(([, a], [, b]) => b.score - a.score || a.at - b.at)
    .map(([playerId, b], i) => ({
      rank: i + 1,
      playerId,
      nickname: players.get(playerId)?.nickname ?? '?',
      score: b.score,
      level: b.level,
      gameId: b.gameId,
      achievedAt: new Date(b.at).toISOString(),
    }));
}

function unlock(playerId, id, gameId) {
  const list = unlocked.get(playerId) ?? [];
  if (list.some((a) => a.id === id)) return;
  list.push({ id, unlockedAt: new Date().toISOString(), gameId });
  unlocked.set(playerId, list);
  players.get(playerId).stats.achievements = list.length;
}

// ---- routes ----
async function api(req, res, url) {
  const parts = url.pathname.split('/').filter(Boolean).slice(1); // drop "api"
  const [prefix] = parts;
  if (missing.has(prefix)) return send(res, 404, { message: 'Not Found' });
  const method = req.method;

  if (parts[1] === 'health' && method === 'GET') return send(res, 200, { status: 'ok', service: prefix, version: 'mock' });

  if (prefix === 'players') {
    if (parts.length === 1 && method === 'POST') {
      const b = await body(req);
      if (b === null) return problem(res, 400, 'Bad Request', 'The body is not JSON.');
      const nickname = typeof b.nickname === 'string' && b.nickname.trim() ? b.nickname.trim().slice(0, 24) : `Guest-${randomBytes(2).toString('hex')}`;
      const id = randomUUID();
      const token = randomBytes(24).toString('base64url');
      const p = { id, nickname, locale: b.locale === 'en' ? 'en' : 'es', createdAt: new Date().toISOString(), stats: { gamesPlayed: 0, bestScore: { classic: 0, memory: 0 }, lastPlayedAt: null, achievements: 0 } };
      players.set(id, p);
      return send(res, 201, { player: publicPlayer(p), ...pairFor(id) });
    }
    // A refresh token renews the session (no rotation checks in the mock).
    if (parts[1] === 'me' && parts[2] === 'token' && method === 'POST') {
      const b = await body(req);
      const id = b && refreshTokens.get(b.refreshToken);
      if (!id) return problem(res, 401, 'Session not renewed', 'This refresh token is not valid.');
      refreshTokens.delete(b.refreshToken);
      return send(res, 200, pairFor(id));
    }
    if (parts[1] === 'me') {
      const p = auth(req);
      if (!p) return problem(res, 401, 'Unauthorized', 'A valid bearer token is needed.');
      if (method === 'GET') return send(res, 200, publicPlayer(p));
      if (method === 'PATCH') {
        const b = await body(req);
        if (b === null) return problem(res, 400, 'Bad Request', 'The body is not JSON.');
        if (b.nickname !== undefined) {
          const n = typeof b.nickname === 'string' ? b.nickname.trim() : '';
          if (n.length < 1 || [...n].length > 24) return problem(res, 400, 'Invalid nickname', 'nickname: 1 to 24 characters.');
          p.nickname = n;
        }
        if (b.locale === 'es' || b.locale === 'en') p.locale = b.locale;
        return send(res, 200, publicPlayer(p));
      }
    }
    if (parts.length === 2 && method === 'GET') {
      const p = players.get(parts[1]);
      return p ? send(res, 200, publicPlayer(p, false)) : problem(res, 404, 'Not Found', 'No such player.');
    }
  }

  if (prefix === 'games') {
    const p = auth(req);
    if (!p) return problem(res, 401, 'Unauthorized', 'A valid bearer token is needed.');
    if (parts.length === 1 && method === 'POST') {
      const b = await body(req);
      if (!b || (b.mode !== 'classic' && b.mode !== 'memory')) return problem(res, 400, 'Bad Request', 'mode must be classic or memory.');
      const g = { gameId: randomUUID(), mode: b.mode, seed: randomBytes(4).readUInt32BE(0), rulesVersion: 1, startedAt: new Date().toISOString(), started: Date.now(), playerId: p.id };
      games.set(g.gameId, g);
      return send(res, 201, { gameId: g.gameId, mode: g.mode, seed: g.seed, rulesVersion: 1, startedAt: g.startedAt });
    }
    const g = games.get(parts[1]);
    if (!g || g.playerId !== p.id) return problem(res, 404, 'Not Found', 'No such game.');
    if (parts[2] === 'result' && method === 'POST') {
      if (failResults > 0) {
        failResults--;
        return problem(res, 503, 'Service Unavailable', 'Try again shortly (mock failure).');
      }
      const b = await body(req);
      if (!b || !Array.isArray(b.presses) || !Number.isInteger(b.endedAt)) return problem(res, 400, 'Bad Request', 'presses and endedAt are required.');
      const key = JSON.stringify([b.presses, b.endedAt]);
      if (g.result) {
        return g.submission === key ? send(res, 200, g.result) : problem(res, 409, 'Conflict', 'A different result was already submitted for this game.');
      }
      const r = rules.replay(g.mode, g.seed, b.presses, b.endedAt);
      let status = r.verdict;
      let reason = r.reason;
      if (status === 'accepted' && Date.now() - g.started < r.endedAt - 2000) {
        status = 'rejected';
        reason = 'endedAt is later than the server clock allows';
      }
      g.submission = key;
      g.finishedAt = Date.now();
      g.result = { gameId: g.gameId, mode: g.mode, status, ...(reason ? { reason } : {}), score: r.score, level: r.level, lives: r.lives, maxCombo: r.maxCombo, rounds: r.rounds, endedAt: r.endedAt };
      if (status === 'accepted') {
        // Stats and badges follow the result a moment later, as in the real system.
        setTimeout(() => {
          const s = p.stats;
          s.gamesPlayed++;
          s.bestScore[g.mode] = Math.max(s.bestScore[g.mode], r.score);
          s.lastPlayedAt = new Date().toISOString();
          unlock(p.id, 'first-game', g.gameId);
          if (r.score >= 100) unlock(p.id, 'score-100', g.gameId);
          if (r.maxCombo >= 10) unlock(p.id, 'combo-10', g.gameId);
          if (g.mode === 'memory' && r.level >= 5) unlock(p.id, 'memory-5', g.gameId);
        }, 1200);
      }
      return send(res, 200, g.result);
    }
    if (parts.length === 2 && method === 'GET') return send(res, 200, { ...g, result: g.result });
  }

  if (prefix === 'leaderboards') {
    const mode = parts[1];
    if (mode !== 'classic' && mode !== 'memory') return problem(res, 404, 'Not Found', 'No such board.');
    const period = url.searchParams.get('period') ?? 'all';
    if (!['all', 'day', 'week'].includes(period)) return problem(res, 400, 'Bad Request', 'period must be all, day or week.');
    const entries = board(mode, period);
    if (parts.length === 2 && method === 'GET') {
      const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 10) || 10));
      return send(res, 200, { mode, period, periodKey: periodKey(period), entries: entries.slice(0, limit) });
    }
    if (parts[2] === 'players' && parts[3] && method === 'GET') {
      const around = Math.min(10, Math.max(0, Number(url.searchParams.get('around') ?? 2)));
      const i = entries.findIndex((e) => e.playerId === parts[3]);
      if (i < 0) return problem(res, 404, 'Not Found', 'The player has no score on this board.');
      const neighbors = entries.slice(Math.max(0, i - around), i + around + 1).filter((e) => e.playerId !== parts[3]);
      return send(res, 200, { entry: entries[i], neighbors });
    }
  }

  if (prefix === 'achievements' && method === 'GET') {
    if (parts.length === 1) return send(res, 200, CATALOGUE);
    if (parts[1] === 'players' && parts[2]) return send(res, 200, unlocked.get(parts[2]) ?? []);
  }

  if (prefix === 'tips' && parts[1] === 'random' && method === 'GET') {
    const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'es';
    const list = TIPS[lang];
    const [type, message] = list[Math.floor(Math.random() * list.length)];
    return send(res, 200, { id: `${lang}-${type}`, type, lang, message });
  }

  return problem(res, 404, 'Not Found', `No route for ${method} ${url.pathname}.`);
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png', '.ico': 'image/x-icon' };

function serveStatic(res, pathname) {
  let file = normalize(join(dist, decodeURIComponent(pathname)));
  if (!file.startsWith(dist)) return send(res, 403, { error: 'forbidden' });
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
  } catch {
    file = join(dist, 'index.html'); // single-page app
  }
  try {
    const data = readFileSync(file);
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(data);
  } catch {
    send(res, 404, { error: 'run npm run build first' });
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname.startsWith('/api/')) {
      if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
      await api(req, res, url);
    } else {
      serveStatic(res, url.pathname);
    }
  } catch (err) {
    problem(res, 500, 'Internal Server Error', 'mock failure');
    console.error(err);
  }
});

const port = Number(process.env.PORT ?? 5174);
server.listen(port, '127.0.0.1', () => {
  console.log(`mock listening on http://127.0.0.1:${server.address().port}`);
});
