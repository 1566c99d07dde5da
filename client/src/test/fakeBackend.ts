// fakeBackend stubs fetch with a table of routes, for component and App
// tests (happy-dom); it records every call.

import { vi } from 'vitest';

export type Handler = (body: unknown, url: URL, init: RequestInit) => [number, unknown] | 'network';

/** fakeBackend answers fetch from a table of "METHOD /path" handlers; anything else is a problem+json 404. */
export function fakeBackend(routes: Record<string, Handler>) {
  const calls: { key: string; body: unknown; auth: string | undefined }[] = [];
  const fetchMock = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://test');
    const key = `${init.method ?? 'GET'} ${url.pathname}`;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ key, body, auth: (init.headers as Record<string, string>)?.Authorization });
    const handler = routes[key];
    const answer = handler ? handler(body, url, init) : ([404, { type: 'about:blank', title: 'Not Found', status: 404 }] as [number, unknown]);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    const [status, json] = answer;
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(JSON.stringify(json), { status, headers: { 'Content-Type': type } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}
