// The harness's JavaScript client over wss:// through a TLS-terminating proxy (deploy/nginx/switchboard.conf):
// join with an authToken, a relayed game_event, and a resume that replays what the dropped socket missed.
// Environment: SWITCHBOARD_WSS (wss://127.0.0.1:PORT/ws), SWITCHBOARD_CA (the proxy's self-signed certificate),
// SWITCHBOARD_JWT_SECRET (the server's HS256 secret), HARNESS_DIR (for ws and the client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const harness = process.env.HARNESS_DIR;
const WebSocket = createRequire(join(harness, 'package.json'))('ws');
const { SwitchboardClient, MemoryStorage } = await import(pathToFileURL(join(harness, 'client/switchboard-client.js')));
const { FakeClock } = await import(pathToFileURL(join(harness, 'test/support/fake-clock.mjs')));

const URL_WSS = process.env.SWITCHBOARD_WSS;
const CA = readFileSync(process.env.SWITCHBOARD_CA);
const STEP_MS = 10000;

/** ws verifying the proxy's certificate against the test's own CA (no verification is switched off). */
class TlsWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { ca: CA });
  }
}

function base64url(text) {
  return Buffer.from(text).toString('base64url');
}

/** An HS256 JWT for the server's secret. */
function jwt(sub) {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + 600 }));
  const mac = createHmac('sha256', process.env.SWITCHBOARD_JWT_SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}

function within(promise, timeoutMs, what) {
  let timer;
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function waitUntil(condition, timeoutMs, what) {
  const endMs = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > endMs) {
      throw new Error(`${what}: not true within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function newClient(sub) {
  const clock = new FakeClock(Date.now());
  const client = new SwitchboardClient(URL_WSS, {
    WebSocketImpl: TlsWebSocket, storage: new MemoryStorage(), random: () => 0.5, authToken: jwt(sub),
    ...clock.options(),
  });
  return { client, clock };
}

test('join, relay and resume over wss:// through the TLS proxy, with the authToken reaching the server', async () => {
  const host = newClient('tls-host');
  const viewer = newClient('tls-viewer');
  try {
    const room = `tls-${process.pid}-${Date.now().toString(36)}`;
    const hostJoined = await within(host.client.join(room, 'host'), STEP_MS, 'host joined');
    assert.equal(hostJoined.payload.userId, 'tls-host', 'the JWT sub is the userId: the token went through');
    const viewerJoined = await within(viewer.client.join(room, 'viewer'), STEP_MS, 'viewer joined');
    assert.equal(viewerJoined.payload.userId, 'tls-viewer');

    const seen = [];
    viewer.client.on('game_event', (m) => seen.push(m.msgId));
    const live = await within(host.client.sendGameEvent({ n: 1 }), STEP_MS, 'ack of the live event');
    await waitUntil(() => seen.length === 1, STEP_MS, 'the live event relayed to the viewer');
    assert.deepEqual(seen, [live.for]);

    const reconnecting = viewer.client.once('reconnecting');
    viewer.client.dropConnection();
    const attempt = await within(reconnecting, STEP_MS, 'reconnecting');
    const missed = await within(host.client.sendGameEvent({ n: 2 }), STEP_MS, 'ack of the missed event');
    const resumed = viewer.client.once('resumed');
    viewer.clock.advance(attempt.delayMs);
    const result = await within(resumed, STEP_MS, 'resumed through the proxy');
    assert.equal(result.role, 'viewer');
    assert.equal(viewer.client.userId, 'tls-viewer');
    await waitUntil(() => seen.length === 2, STEP_MS, 'the missed event replayed after resume');
    assert.deepEqual(seen, [live.for, missed.for]);
    await within(viewer.client.ping(), STEP_MS, 'pong after resume');
  } finally {
    host.client.close();
    viewer.client.close();
  }
});
