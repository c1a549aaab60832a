// The JavaScript client against a running Switchboard (SWITCHBOARD_URL, SWITCHBOARD_HTTP). Each client's
// retry and reconnect timers run on its own fake clock; the sockets and the server run in real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { backoffDelayMs, SwitchboardClient, MemoryStorage, randomUuid } from '@switchboard/client';
import { newClient, uniqueRoom, within, waitUntil, metricsText, metricSum } from './support/server.mjs';

const STEP_MS = 5000;

async function barrier(client, label) {
  // A fresh critical message and its ack: the room is applied in arrival order, so anything the server
  // would have answered before it has arrived by now.
  await within(client.sendGameEvent({ barrier: label }), STEP_MS, `ack of barrier ${label}`);
}

test('a duplicate msgId gets no answer, so the client resends it after 1 s, 2 s and 4 s, then gives up', async () => {
  const { client, clock } = newClient();
  try {
    await within(client.join(uniqueRoom('retry'), 'host'), STEP_MS, 'joined');
    const ack = await within(client.sendGameEvent({ n: 1 }), STEP_MS, 'first ack');
    const msgId = ack.for;
    const sentAtMs = [];
    const replies = [];
    client.on('sent', (e) => {
      if (e.frame && e.frame.msgId === msgId) {
        sentAtMs.push(clock.now());
      }
    });
    client.on('message', (m) => {
      if (m.for === msgId) {
        replies.push(m);
      }
    });
    const exhausted = [];
    const errors = [];
    client.on('retry_exhausted', (e) => exhausted.push(e));
    client.on('error', (e) => errors.push(e));

    const startMs = clock.now();
    const duplicate = client.send('game_event', { n: 1 }, { msgId });
    await barrier(client, 0);
    clock.advance(999);
    assert.equal(sentAtMs.length, 1, 'no resend before 1 s');
    clock.advance(1);
    await barrier(client, 1);
    clock.advance(2000);
    await barrier(client, 2);
    clock.advance(4000);
    await barrier(client, 3);
    assert.deepEqual(sentAtMs.map((t) => t - startMs), [0, 1000, 3000, 7000]);
    assert.equal(exhausted.length, 0, 'no error before the last wait ends');
    clock.advance(3999);
    assert.equal(exhausted.length, 0);
    clock.advance(1);
    assert.equal(exhausted.length, 1);
    assert.equal(exhausted[0].msgId, msgId);
    assert.equal(exhausted[0].resends, 3);
    assert.deepEqual(errors.map((e) => [e.payload.code, e.for]), [['retry_exhausted', msgId]]);
    await assert.rejects(duplicate, (err) => err.code === 'retry_exhausted');
    assert.deepEqual(replies, [], 'the server answered a duplicate msgId');
    clock.advance(60000);
    assert.equal(sentAtMs.length, 4, 'nothing is sent after the error');
  } finally {
    client.close();
  }
});

test('the server counts a msgId sent 5 times as 4 duplicates in drops_by_type_total', async () => {
  const { client } = newClient();
  try {
    await within(client.join(uniqueRoom('dupmetric'), 'host'), STEP_MS, 'joined');
    const labels = { type: 'game_event', reason: 'duplicate' };
    const before = metricSum(await metricsText(), 'drops_by_type_total', labels);
    const acks = [];
    const frame = {
      type: 'game_event', msgId: randomUuid(), roomId: client.roomId, seq: client.nextSeq(), ts: Date.now(),
      payload: { dup: true },
    };
    client.on('message', (m) => {
      if (m.for === frame.msgId) {
        acks.push(m.type);
      }
    });
    for (let i = 0; i < 5; i++) {
      client.sendRaw(frame);
    }
    await barrier(client, 'after-duplicates');
    assert.deepEqual(acks, ['ack']);
    let delta = 0;
    await waitUntil(async () => {
      delta = metricSum(await metricsText(), 'drops_by_type_total', labels) - before;
      return delta >= 4;
    }, 3000, 'drops_by_type_total{type="game_event",reason="duplicate"} +4').catch(() => {});
    // At least 4: other clients of the same server (a browser test running at the same time) may add theirs.
    assert.ok(delta >= 4, `drops_by_type_total{type="game_event",reason="duplicate"} grew by ${delta}, not 4`);
  } finally {
    client.close();
  }
});

test('the reconnect delay of a dropped socket is within the jitter bounds and the session resumes', async () => {
  const host = newClient();
  const viewer = newClient({ random: () => 0.7 });
  try {
    const room = uniqueRoom('reconnect');
    await within(host.client.join(room, 'host'), STEP_MS, 'host joined');
    const joined = await within(viewer.client.join(room, 'viewer'), STEP_MS, 'viewer joined');
    const userId = joined.payload.userId;
    const reconnecting = viewer.client.once('reconnecting');
    viewer.client.dropConnection();
    const attempt = await within(reconnecting, STEP_MS, 'reconnecting event');
    assert.equal(attempt.attempt, 0);
    assert.ok(attempt.delayMs >= 0 && attempt.delayMs < 500, `delay ${attempt.delayMs}`);
    assert.equal(attempt.delayMs, backoffDelayMs(0, 500, 10000, () => 0.7));

    const missed = await within(host.client.sendGameEvent({ missed: true }), STEP_MS, 'ack of the missed event');
    const seen = [];
    viewer.client.on('game_event', (m) => seen.push(m.msgId));
    const resumed = viewer.client.once('resumed');
    viewer.clock.advance(attempt.delayMs - 1);
    assert.equal(viewer.client.socket, null, 'reconnected before the delay');
    viewer.clock.advance(1);
    const result = await within(resumed, STEP_MS, 'resumed');
    assert.equal(result.migrated, false);
    assert.equal(result.role, 'viewer');
    assert.equal(viewer.client.userId, userId);
    await waitUntil(() => seen.length >= 1, STEP_MS, 'missed game_event replayed');
    await within(viewer.client.ping(), STEP_MS, 'pong after resume');
    assert.deepEqual(seen, [missed.for]);
  } finally {
    host.client.close();
    viewer.client.close();
  }
});

test('resume after a dropped socket delivers replayed messages once, even from a lagging position', async () => {
  const host = newClient();
  const viewer = newClient();
  try {
    const room = uniqueRoom('replay');
    await within(host.client.join(room, 'host'), STEP_MS, 'host joined');
    await within(viewer.client.join(room, 'viewer'), STEP_MS, 'viewer joined');
    const delivered = [];
    const duplicates = [];
    viewer.client.on('game_event', (m) => delivered.push(m.msgId));
    viewer.client.on('duplicate', (m) => duplicates.push(m));
    const first = await within(host.client.sendGameEvent({ n: 1 }), STEP_MS, 'ack 1');
    await waitUntil(() => delivered.length === 1, STEP_MS, 'first event delivered live');
    await within(host.client.sendGameState(1, { score: 42 }), STEP_MS, 'game_state sent');

    const closed = viewer.client.once('closed');
    viewer.client.dropConnection();
    await within(closed, STEP_MS, 'viewer closed');
    const second = await within(host.client.sendGameEvent({ n: 2 }), STEP_MS, 'ack 2');
    const third = await within(host.client.sendGameEvent({ n: 3 }), STEP_MS, 'ack 3');

    const snapshots = [];
    viewer.client.on('game_state', (m) => {
      if (m.payload && m.payload.snapshot) {
        snapshots.push(m.payload);
      }
    });
    // Report nothing seen (as a client whose persisted position lags would): the server replays its whole
    // window, and the client must drop what it had already delivered.
    const resumed = await within(viewer.client.resume({ lastDseq: 0, lastRseq: 0 }), STEP_MS, 'resume_ok');
    assert.equal(resumed.type, 'resume_ok');
    assert.equal(resumed.payload.role, 'viewer');
    assert.equal(resumed.payload.gameStateVersion, 1);
    assert.ok(resumed.payload.replayed >= 3, `replayed ${resumed.payload.replayed}`);
    await waitUntil(() => snapshots.length >= 1, STEP_MS, 'game_state snapshot after the replay');
    assert.deepEqual(delivered, [first.for, second.for, third.for]);
    assert.ok(duplicates.some((m) => m.msgId === first.for), 'the replayed first event was not recognised');
    assert.equal(snapshots[0].version, 1);
    assert.deepEqual(snapshots[0].state, { score: 42 });
  } finally {
    host.client.close();
    viewer.client.close();
  }
});

test('a critical message sent while disconnected is sent after resume and acked', async () => {
  const { client, clock } = newClient();
  try {
    await within(client.join(uniqueRoom('queued'), 'host'), STEP_MS, 'joined');
    const reconnecting = client.once('reconnecting');
    client.dropConnection();
    const attempt = await within(reconnecting, STEP_MS, 'reconnecting');
    const queued = client.sendGameEvent({ queued: true });
    const resumed = client.once('resumed');
    clock.advance(attempt.delayMs);
    await within(resumed, STEP_MS, 'resumed');
    const ack = await within(queued, STEP_MS, 'ack of the queued message');
    assert.equal(ack.type, 'ack');
    assert.equal(client.role, 'host');
  } finally {
    client.close();
  }
});

test('4409 session_replaced is terminal: the replaced client does not reconnect', async () => {
  const room = uniqueRoom('replaced');
  const storage = new MemoryStorage();
  const original = newClient({ storage, storageKey: 'shared' });
  try {
    await within(original.client.join(room, 'viewer'), STEP_MS, 'joined');
    const closed = original.client.once('closed');
    const reconnecting = [];
    original.client.on('reconnecting', (e) => reconnecting.push(e));
    const second = newClient({ storage, storageKey: 'shared' });
    try {
      const resumed = await within(second.client.resume(), STEP_MS, 'resume on the second socket');
      assert.equal(resumed.payload.role, 'viewer');
      const event = await within(closed, STEP_MS, 'the first socket closed');
      assert.equal(event.code, 4409);
      assert.equal(event.willReconnect, false);
      original.clock.advance(60000);
      assert.deepEqual(reconnecting, []);
      assert.equal(original.client.socket, null);
      assert.equal(original.client.state, 'closed');
      await within(second.client.ping(), STEP_MS, 'the new socket serves');
    } finally {
      second.client.close();
    }
  } finally {
    original.client.close();
  }
});

test('4009 idle_timeout (class 4000-4399) reconnects and resumes', async (t) => {
  const idleSeconds = Number(process.env.SWITCHBOARD_IDLE_TIMEOUT_SECONDS || 0);
  if (!idleSeconds || idleSeconds > 10) {
    t.skip('set SWITCHBOARD_IDLE_TIMEOUT_SECONDS (a server started with a short --idle-timeout-seconds)');
    return;
  }
  const { client, clock } = newClient();
  try {
    await within(client.join(uniqueRoom('idle'), 'host'), STEP_MS, 'joined');
    // Stop reading: the server's pings go unanswered, so it closes the socket as idle; the close frame is
    // read once reading restarts.
    const tcp = client.socket._socket;
    tcp.pause();
    const reconnecting = client.once('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, (idleSeconds + 1) * 1000));
    tcp.resume();
    const attempt = await within(reconnecting, STEP_MS, 'reconnecting after the idle close');
    assert.equal(attempt.code, 4009);
    const resumed = client.once('resumed');
    clock.advance(attempt.delayMs);
    const result = await within(resumed, STEP_MS, 'resumed');
    assert.equal(result.role, 'host');
  } finally {
    client.close();
  }
});

test('4401 unauthorized is terminal: a rejected token is not retried', async (t) => {
  if (!process.env.SWITCHBOARD_JWT_SECRET) {
    t.skip('the server runs without jwtSecret, so every token is accepted as a guest');
    return;
  }
  const { client, clock } = newClient({ authToken: 'not-a-jwt' });
  const closed = client.once('closed');
  const reconnecting = [];
  client.on('reconnecting', (e) => reconnecting.push(e));
  try {
    const joined = client.join(uniqueRoom('unauthorized'), 'viewer');
    const event = await within(closed, STEP_MS, 'closed');
    assert.equal(event.code, 4401);
    assert.equal(event.willReconnect, false);
    await assert.rejects(joined, (err) => err.code === 'closed');
    clock.advance(60000);
    assert.deepEqual(reconnecting, []);
    assert.equal(client.socket, null);
  } finally {
    client.close();
  }
});

test('leave is acked, the server closes with 1000 and the client stays closed', async () => {
  const { client, clock } = newClient();
  await within(client.join(uniqueRoom('leave'), 'host'), STEP_MS, 'joined');
  const closed = client.once('closed');
  const ack = await within(client.leave(), STEP_MS, 'ack of leave');
  assert.equal(ack.type, 'ack');
  const event = await within(closed, STEP_MS, 'closed');
  assert.equal(event.code, 1000);
  assert.equal(event.willReconnect, false);
  clock.advance(60000);
  assert.equal(client.socket, null);
  assert.equal(client.sessionToken, null);
});

test('a plain SwitchboardClient with real timers joins and gets a pong', async () => {
  const { default: WebSocket } = await import('ws');
  const client = new SwitchboardClient(process.env.SWITCHBOARD_URL, { WebSocketImpl: WebSocket });
  try {
    const joined = await within(client.join(uniqueRoom('plain'), 'host'), STEP_MS, 'joined');
    assert.equal(joined.payload.role, 'host');
    assert.match(joined.payload.sessionToken, /^[A-Za-z0-9_-]{22,}$/);
    assert.deepEqual(joined.payload.gameState, { version: 0, state: {} });
    const pong = await within(client.ping(), STEP_MS, 'pong');
    assert.equal(typeof pong.payload.ts, 'number');
  } finally {
    client.close();
  }
});

/** A `ws` socket that loses the incoming frames `lose(data)` picks, as a broken proxy would (the server is real). */
function lossySocket(lose) {
  return class LossyWebSocket extends WebSocket {
    get onmessage() {
      return super.onmessage;
    }

    set onmessage(fn) {
      super.onmessage = fn ? (event) => {
        if (!lose(String(event.data))) {
          fn(event);
        }
      } : fn;
    }
  };
}

async function gapResumes(what, send, lostType) {
  // Lose the second frame of the type (the first rseq a client sees is its baseline: joined carries none).
  let seen = 0;
  let lost = 0;
  const lossy = lossySocket((text) => text.includes(`"type":"${lostType}"`) && ++seen === 2 && ++lost === 1);
  const host = newClient();
  const viewer = newClient({ WebSocketImpl: lossy });
  try {
    const room = uniqueRoom(`gap-${what}`);
    await within(host.client.join(room, 'host'), STEP_MS, 'host joined');
    const joined = await within(viewer.client.join(room, 'viewer'), STEP_MS, 'viewer joined');
    const delivered = [];
    viewer.client.on(lostType, (m) => delivered.push(m.payload.n ?? Number(String(m.payload.sdp).split('-')[1])));
    const gap = viewer.client.once('gap');
    const resumed = viewer.client.once('resumed');
    for (let n = 1; n <= 3; n++) {
      await within(send(host.client, joined.payload.userId, n), STEP_MS, `sent ${n}`);
    }
    const g = await within(gap, STEP_MS, 'gap detected');
    assert.equal(lost, 1, 'one frame was lost');
    assert.equal(g.sequence, what);
    assert.equal(g.received, g.lastContiguous + 2, 'the frame after the lost one shows the gap');
    viewer.clock.advance(viewer.clock.nextDueInMs() ?? 0); // the reconnect backoff, on the viewer's fake clock
    const r = await within(resumed, STEP_MS, 'resumed after the gap');
    assert.equal(r.gap, false, 'the lost frame was still in the replay window');
    await waitUntil(() => delivered.length === 3, STEP_MS, 'every frame delivered');
    assert.deepEqual(delivered, [1, 2, 3], 'in order, each once');
    assert.equal(viewer.client.sessionToken, joined.payload.sessionToken, 'the same session');
  } finally {
    host.client.close();
    viewer.client.close();
  }
}

test('a lost directed frame (dseq gap) makes the client resume and the server replays it', async () => {
  await gapResumes('dseq', (host, viewerId, n) => host.sendOffer(viewerId, `offer-${n}`), 'webrtc_offer');
});

test('a lost broadcast (rseq gap) makes the client resume and the server replays it', async () => {
  await gapResumes('rseq', (host, viewerId, n) => host.sendGameEvent({ n }), 'game_event');
});

test('the client runs on Node\'s built-in WebSocket (no ws option)', async () => {
  const major = Number(process.versions.node.split('.')[0]);
  const flags = major >= 22 ? [] : ['--experimental-websocket'];
  const script = `
    import { SwitchboardClient } from '@switchboard/client';
    if (typeof globalThis.WebSocket !== 'function') { throw new Error('no built-in WebSocket'); }
    const client = new SwitchboardClient(process.env.SWITCHBOARD_URL);
    const joined = await client.join('builtin-' + process.pid + '-' + Date.now(), 'host');
    await client.sendGameEvent({ hello: 1 });
    const pong = await client.ping();
    client.close();
    console.log(JSON.stringify({ role: joined.payload.role, pong: typeof pong.payload.ts }));`;
  const { execFile } = await import('node:child_process');
  const output = await within(new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [...flags, '--input-type=module', '-e', script],
      { cwd: new URL('..', import.meta.url), env: process.env }, (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${error.message}\n${stderr}`));
        } else {
          resolvePromise(stdout);
        }
      });
  }), 20000, 'the built-in WebSocket client');
  assert.deepEqual(JSON.parse(output.trim().split('\n').pop()), { role: 'host', pong: 'number' });
});

test('joined hands the client iceServers whose TURN credential is HMAC-SHA1 of the username', async (t) => {
  if (!process.env.SWITCHBOARD_TURN_SECRET) {
    t.skip('the server runs without turnSecret');
    return;
  }
  const { createHmac } = await import('node:crypto');
  const { client } = newClient();
  try {
    const joined = await within(client.join(uniqueRoom('turn'), 'host'), STEP_MS, 'joined');
    assert.deepEqual(joined.payload.iceServers, client.iceServers);
    const turn = client.iceServers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
    assert.ok(turn, JSON.stringify(client.iceServers));
    assert.equal(turn.username.split(':')[1], client.userId);
    assert.ok(Number(turn.username.split(':')[0]) > Date.now() / 1000, 'expiry in the future');
    const expected = createHmac('sha1', process.env.SWITCHBOARD_TURN_SECRET).update(turn.username).digest('base64');
    assert.equal(turn.credential, expected);
  } finally {
    client.close();
  }
});
