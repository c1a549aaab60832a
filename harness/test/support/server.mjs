// Helpers for tests against a running Switchboard: its URLs, clients on fake clocks, waits with deadlines.
import WebSocket from 'ws';
import { SwitchboardClient, MemoryStorage } from '@switchboard/client';
import { FakeClock } from './fake-clock.mjs';

/** The server's WebSocket URL (SWITCHBOARD_URL, e.g. ws://127.0.0.1:8080/ws). */
export const WS_URL = process.env.SWITCHBOARD_URL;

/** The server's HTTP base (SWITCHBOARD_HTTP, e.g. http://127.0.0.1:8080), derived from WS_URL when unset. */
export const HTTP_URL = process.env.SWITCHBOARD_HTTP
  || (WS_URL ? WS_URL.replace(/^ws/, 'http').replace(/\/ws(\?.*)?$/, '') : undefined);

if (!WS_URL) {
  throw new Error('SWITCHBOARD_URL is not set (e.g. ws://127.0.0.1:8080/ws)');
}

let roomCounter = 0;

/** A room id no other test uses. */
export function uniqueRoom(prefix) {
  roomCounter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${roomCounter}`;
}

/** A client on its own fake clock (real sockets, fake retry and reconnect timers). */
export function newClient(options = {}) {
  const clock = new FakeClock(Date.now());
  const client = new SwitchboardClient(WS_URL, {
    WebSocketImpl: WebSocket, storage: new MemoryStorage(), random: () => 0.5, ...clock.options(), ...options,
  });
  return { client, clock };
}

/** Resolve with the promise's value, or reject when it does not settle within timeoutMs (real time). */
export function within(promise, timeoutMs, what) {
  let timer;
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Poll a condition every 10 ms until it holds, or fail after timeoutMs (real time). */
export async function waitUntil(condition, timeoutMs, what) {
  const endMs = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > endMs) {
      throw new Error(`${what}: not true within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The text of GET /metrics. */
export async function metricsText() {
  const response = await fetch(`${HTTP_URL}/metrics`);
  return response.text();
}

/** Sum of the samples of one metric family whose labels include all the given ones. */
export function metricSum(text, name, labels = {}) {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) {
      continue;
    }
    const have = {};
    for (const pair of (match[3] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      have[pair[1]] = pair[2];
    }
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      sum += Number(match[4]);
    }
  }
  return sum;
}
