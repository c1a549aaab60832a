// Unit tests of switchboard-client.js with an in-memory socket and a fake clock: no server, no real time.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  SwitchboardClient, MemoryStorage, backoffDelayMs, closeCodeAction, retryAfterMs, randomUuid,
} from '@switchboard/client';
import { FakeClock } from './support/fake-clock.mjs';
import { FakeSocket } from './support/fake-socket.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeEach(() => FakeSocket.reset());

function newClient(clock, extra = {}) {
  return new SwitchboardClient('ws://fake/ws', {
    WebSocketImpl: FakeSocket, storage: new MemoryStorage(), random: () => 0.5, ...clock.options(), ...extra,
  });
}

async function joinedClient(clock, role = 'host', extra = {}) {
  const client = newClient(clock, extra);
  const joined = client.join('room-1', role);
  const socket = FakeSocket.last();
  socket.serverOpen();
  const join = socket.sentOfType('join')[0];
  socket.serverSend({ type: 'ack', for: join.msgId, dseq: 1, roomId: 'room-1' });
  socket.serverSend({
    type: 'joined', roomId: 'room-1', dseq: 2,
    payload: { userId: 'u-1', role, sessionToken: 'tok-1', hostId: 'u-1', gameState: { version: 0, state: {} } },
  });
  await joined;
  return { client, socket };
}

test('backoff delay stays within [0, min(10 s, 0.5 s * 2^attempt)) for every attempt', () => {
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceilingMs = Math.min(10000, 500 * 2 ** attempt);
    assert.equal(backoffDelayMs(attempt, 500, 10000, () => 0), 0);
    assert.ok(backoffDelayMs(attempt, 500, 10000, () => 0.999999) < ceilingMs);
    assert.ok(backoffDelayMs(attempt, 500, 10000, () => 0.999999) >= ceilingMs - 1);
    for (let i = 0; i < 200; i++) {
      const delayMs = backoffDelayMs(attempt);
      assert.ok(delayMs >= 0 && delayMs < ceilingMs, `attempt ${attempt}: ${delayMs}`);
    }
  }
  assert.equal(backoffDelayMs(40, 500, 10000, () => 0.5), 5000);
});

test('close codes follow section 11: 4000-4399 and abnormal closes reconnect, 1000 and 4400-4999 stop', () => {
  for (const code of [4000, 4008, 4009, 4029, 4399, 1001, 1006, 1011]) {
    assert.equal(closeCodeAction(code), 'reconnect', String(code));
  }
  for (const code of [1000, 4400, 4401, 4409, 4999]) {
    assert.equal(closeCodeAction(code), 'stop', String(code));
  }
  assert.equal(retryAfterMs('server_draining retry_after_ms=1234'), 1234);
  assert.equal(retryAfterMs('slow_consumer'), null);
});

test('msgIds are canonical v4 UUIDs and seq grows by one per message', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  client.sendGameEvent({ n: 1 });
  client.sendGameState(1, { a: 1 });
  const [join, event, state] = socket.sent;
  for (const m of [join, event, state]) {
    assert.match(m.msgId, UUID);
    assert.equal(m.roomId, 'room-1');
  }
  assert.deepEqual([join.seq, event.seq, state.seq], [1, 2, 3]);
  assert.match(randomUuid(), UUID);
});

test('an unanswered critical message is resent with the same msgId after 1 s, 2 s and 4 s, then fails', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  const exhausted = [];
  const errors = [];
  client.on('retry_exhausted', (e) => exhausted.push(e));
  client.on('error', (e) => errors.push(e));
  const result = client.sendGameEvent({ hello: 1 });
  const first = socket.sentOfType('game_event');
  assert.equal(first.length, 1);
  const msgId = first[0].msgId;
  const sendsAt = (ms) => {
    clock.advance(ms);
    return socket.sentOfType('game_event').length;
  };
  assert.equal(sendsAt(999), 1);
  assert.equal(sendsAt(1), 2);
  assert.equal(sendsAt(1999), 2);
  assert.equal(sendsAt(1), 3);
  assert.equal(sendsAt(3999), 3);
  assert.equal(sendsAt(1), 4);
  assert.ok(socket.sentOfType('game_event').every((m) => m.msgId === msgId && m.seq === first[0].seq));
  assert.equal(sendsAt(3999), 4);
  assert.equal(exhausted.length, 0);
  clock.advance(1);
  assert.equal(exhausted.length, 1);
  assert.equal(exhausted[0].msgId, msgId);
  assert.equal(exhausted[0].resends, 3);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].payload.code, 'retry_exhausted');
  assert.equal(errors[0].for, msgId);
  await assert.rejects(result, (err) => err.code === 'retry_exhausted');
  assert.equal(sendsAt(60000), 4);
});

test('an ack stops the retries and resolves the send; an error rejects it', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  const ok = client.sendGameEvent({ n: 1 });
  const okId = socket.sentOfType('game_event')[0].msgId;
  socket.serverSend({ type: 'ack', for: okId, dseq: 3, roomId: 'room-1' });
  assert.equal((await ok).for, okId);
  const bad = client.sendGameEvent({ n: 2 });
  const badId = socket.sentOfType('game_event')[1].msgId;
  socket.serverSend({ type: 'game_error', for: badId, dseq: 4, payload: { code: 'rate_limited' } });
  await assert.rejects(bad, (err) => err.code === 'rate_limited');
  clock.advance(20000);
  assert.equal(socket.sentOfType('game_event').length, 2);
  assert.equal(client.pendingCount, 0);
});

test('retries pause while disconnected and continue with the remaining wait after resume', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  client.sendGameEvent({ n: 1 });
  const msgId = socket.sentOfType('game_event')[0].msgId;
  clock.advance(600);
  const reconnecting = [];
  client.on('reconnecting', (e) => reconnecting.push(e));
  socket.serverClose(1006);
  assert.equal(reconnecting.length, 1);
  assert.equal(reconnecting[0].delayMs, 250);
  clock.advance(249);
  assert.equal(FakeSocket.instances.length, 1);
  clock.advance(1);
  assert.equal(FakeSocket.instances.length, 2);
  const next = FakeSocket.last();
  clock.advance(5000);
  next.serverOpen();
  const resume = next.sentOfType('resume')[0];
  assert.deepEqual(resume.payload, { sessionToken: 'tok-1', lastDseq: 2, lastRseq: 0 });
  assert.equal(next.sentOfType('game_event').length, 0);
  next.serverSend({ type: 'resume_ok', for: resume.msgId, roomId: 'room-1',
    payload: { userId: 'u-1', role: 'host', position: null, gameStateVersion: 0, replayed: 0, gap: false } });
  clock.advance(399);
  assert.equal(next.sentOfType('game_event').length, 0);
  clock.advance(1);
  const resent = next.sentOfType('game_event');
  assert.equal(resent.length, 1);
  assert.equal(resent[0].msgId, msgId);
  assert.equal(client.role, 'host');
});

test('a critical message sent while disconnected goes out right after resume', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  socket.serverClose(4009, 'idle_timeout');
  const queued = client.sendGameEvent({ late: true });
  clock.advance(250);
  const next = FakeSocket.last();
  next.serverOpen();
  const resume = next.sentOfType('resume')[0];
  assert.equal(next.sentOfType('game_event').length, 0);
  next.serverSend({ type: 'resume_ok', for: resume.msgId, roomId: 'room-1',
    payload: { userId: 'u-1', role: 'host', position: null, gameStateVersion: 0, replayed: 0, gap: false } });
  const sent = next.sentOfType('game_event');
  assert.equal(sent.length, 1);
  next.serverSend({ type: 'ack', for: sent[0].msgId, dseq: 3, roomId: 'room-1' });
  assert.equal((await queued).for, sent[0].msgId);
});

test('terminal close codes 4401 and 4409 and a 1000 after leave are not retried', async () => {
  for (const code of [4401, 4409, 4400, 4999]) {
    FakeSocket.reset();
    const clock = new FakeClock();
    const { client, socket } = await joinedClient(clock);
    const closed = [];
    const reconnecting = [];
    client.on('closed', (e) => closed.push(e));
    client.on('reconnecting', (e) => reconnecting.push(e));
    const pending = client.sendGameEvent({ n: 1 });
    socket.serverClose(code, 'x');
    clock.advance(120000);
    assert.equal(FakeSocket.instances.length, 1, `code ${code} reconnected`);
    assert.equal(reconnecting.length, 0);
    assert.deepEqual(closed.map((e) => [e.code, e.willReconnect]), [[code, false]]);
    assert.equal(client.state, 'closed');
    await assert.rejects(pending, (err) => err.code === 'closed');
  }
  FakeSocket.reset();
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  const left = client.leave();
  const leave = socket.sentOfType('leave')[0];
  socket.serverSend({ type: 'ack', for: leave.msgId, dseq: 3, roomId: 'room-1' });
  await left;
  socket.serverClose(1000);
  clock.advance(120000);
  assert.equal(FakeSocket.instances.length, 1);
  assert.equal(client.sessionToken, null);
});

test('codes 4000-4399 and 1006 reconnect; a draining 4000 waits its retry_after_ms', async () => {
  for (const [code, reason, delayMs] of [[4008, 'slow_consumer', 250], [4029, 'rate_limit_abuse', 250],
    [1006, '', 250], [4000, 'server_draining retry_after_ms=1234', 1234]]) {
    FakeSocket.reset();
    const clock = new FakeClock();
    const { socket } = await joinedClient(clock);
    socket.serverClose(code, reason);
    clock.advance(delayMs - 1);
    assert.equal(FakeSocket.instances.length, 1, `code ${code} came back early`);
    clock.advance(1);
    assert.equal(FakeSocket.instances.length, 2, `code ${code} did not reconnect`);
  }
});

test('consecutive failed reconnects double the jitter ceiling up to 10 s and a resume resets it', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'host', { random: () => 0.999 });
  const delays = [];
  client.on('reconnecting', (e) => delays.push(e.delayMs));
  socket.serverClose(1006);
  for (let i = 0; i < 7; i++) {
    clock.advance(delays[delays.length - 1]);
    FakeSocket.last().serverClose(1006);
  }
  assert.deepEqual(delays, [499, 999, 1998, 3996, 7992, 9990, 9990, 9990]);
  clock.advance(delays[delays.length - 1]);
  const next = FakeSocket.last();
  next.serverOpen();
  const resume = next.sentOfType('resume')[0];
  next.serverSend({ type: 'resume_ok', for: resume.msgId, roomId: 'room-1',
    payload: { userId: 'u-1', role: 'host', position: null, gameStateVersion: 0, replayed: 0, gap: false } });
  next.serverClose(1006);
  assert.equal(delays[delays.length - 1], 499);
});

test('frames whose dseq or rseq was already seen are delivered once', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'viewer');
  const events = [];
  const duplicates = [];
  client.on('game_event', (m) => events.push(m.payload.n));
  client.on('duplicate', (m) => duplicates.push(m));
  socket.serverSend({ type: 'game_event', rseq: 5, payload: { n: 5 } });
  socket.serverSend({ type: 'game_event', rseq: 6, payload: { n: 6 } });
  socket.serverSend({ type: 'game_event', rseq: 6, payload: { n: 6 } });
  socket.serverSend({ type: 'game_event', rseq: 5, payload: { n: 5 } });
  socket.serverSend({ type: 'game_event', rseq: 7, payload: { n: 7 } });
  socket.serverSend({ type: 'role_changed', dseq: 2, payload: { role: 'guest', reason: 'accepted' } });
  assert.deepEqual(events, [5, 6, 7]);
  assert.equal(duplicates.length, 3);
  assert.equal(client.role, 'viewer');
  assert.equal(client.lastRseq, 7);
  assert.equal(client.lastDseq, 2);
});

test('the session token and position are kept in the given storage and a new client resumes from it', async () => {
  const clock = new FakeClock();
  const storage = new MemoryStorage();
  const { client, socket } = await joinedClient(clock, 'viewer', { storage, storageKey: 'k' });
  socket.serverSend({ type: 'game_event', rseq: 9, payload: {} });
  const stored = JSON.parse(storage.getItem('k'));
  assert.equal(stored.token, 'tok-1');
  assert.equal(stored.lastDseq, 2);
  assert.equal(stored.lastRseq, 9);
  client.close();
  const reloaded = newClient(clock, { storage, storageKey: 'k' });
  assert.equal(reloaded.sessionToken, 'tok-1');
  const resumed = reloaded.resume();
  const next = FakeSocket.last();
  next.serverOpen();
  const resume = next.sentOfType('resume')[0];
  assert.deepEqual(resume.payload, { sessionToken: 'tok-1', lastDseq: 2, lastRseq: 9 });
  next.serverSend({ type: 'resume_migrated', for: resume.msgId, roomId: 'room-1',
    payload: { userId: 'u-1', role: 'viewer', reason: 'host_left', position: null, gameStateVersion: 3,
      replayed: 0, gap: false } });
  assert.equal((await resumed).type, 'resume_migrated');
  assert.equal(reloaded.state, 'joined');
});

test('resume_failed clears the token, fails queued messages and joins afresh', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'viewer');
  const failed = [];
  client.on('resume_failed', (e) => failed.push(e));
  socket.serverClose(1006);
  const queued = client.sendGameEvent({ n: 1 });
  clock.advance(250);
  const next = FakeSocket.last();
  next.serverOpen();
  const resume = next.sentOfType('resume')[0];
  next.serverSend({ type: 'error', for: resume.msgId, roomId: 'room-1', payload: { code: 'resume_failed' } });
  assert.equal(failed.length, 1);
  await assert.rejects(queued, (err) => err.code === 'session_lost');
  const join = next.sentOfType('join');
  assert.equal(join.length, 1);
  assert.deepEqual(join[0].payload, { role: 'viewer' });
  assert.equal(join[0].roomId, 'room-1');
  assert.equal(client.sessionToken, null);
});

test('a ping resolves with the pong that echoes its ts', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  const pong = client.ping();
  const ping = socket.sentOfType('ping')[0];
  assert.equal(ping.ts, clock.now());
  assert.equal(ping.msgId, undefined);
  socket.serverSend({ type: 'pong', payload: { ts: ping.ts } });
  assert.equal((await pong).payload.ts, ping.ts);
});

test('directed types need a target and the flow_control frames surface as events', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock);
  await assert.rejects(client.send('webrtc_offer', { sdp: 'v=0' }), TypeError);
  client.sendOffer('u-2', 'v=0');
  assert.equal(socket.sentOfType('webrtc_offer')[0].to, 'u-2');
  const modes = [];
  client.on('flow_control', (m) => modes.push([m.payload.mode, m.payload.dropped]));
  socket.serverSend({ type: 'flow_control', payload: { mode: 'drop_non_critical', dropped: 0 } });
  socket.serverSend({ type: 'flow_control', payload: { mode: 'normal', dropped: 12 } });
  assert.deepEqual(modes, [['drop_non_critical', 0], ['normal', 12]]);
});

// ---------------------------------------------------------------- package fixes (issue 16)

function resumeOk(socket, resume, extra = {}) {
  socket.serverSend({ type: 'resume_ok', for: resume.msgId, roomId: 'room-1',
    payload: { userId: 'u-1', role: 'viewer', position: null, gameStateVersion: 0, replayed: 0, gap: false,
      ...extra } });
}

test('cluster_unavailable answering a resume keeps the session and resends the resume after a backoff', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'viewer');
  const failed = [];
  const retries = [];
  client.on('resume_failed', (e) => failed.push(e));
  client.on('resume_retry', (e) => retries.push(e));
  socket.serverClose(1006);
  const queued = client.sendGameEvent({ n: 1 });
  clock.advance(250);
  const next = FakeSocket.last();
  next.serverOpen();
  for (let attempt = 0; attempt < 3; attempt++) {
    const resumes = next.sentOfType('resume');
    assert.equal(resumes.length, attempt + 1, `resume sent again after attempt ${attempt}`);
    const resume = resumes[attempt];
    assert.deepEqual(resume.payload, { sessionToken: 'tok-1', lastDseq: 2, lastRseq: 0 });
    next.serverSend({ type: 'error', for: resume.msgId, roomId: 'room-1',
      payload: { code: 'cluster_unavailable', message: 'the room owner cannot be reached' } });
    assert.equal(client.sessionToken, 'tok-1', 'the session is kept');
    assert.equal(next.sentOfType('join').length, 0, 'no fresh join');
    const delayMs = retries[attempt].delayMs;
    assert.equal(delayMs, Math.floor(0.5 * Math.min(10000, 500 * 2 ** attempt)), 'backoff with jitter');
    clock.advance(delayMs - 1);
    assert.equal(next.sentOfType('resume').length, attempt + 1, 'not before the backoff');
    clock.advance(1);
  }
  assert.equal(failed.length, 0);
  assert.deepEqual(retries.map((r) => [r.code, r.attempt]),
    [['cluster_unavailable', 0], ['cluster_unavailable', 1], ['cluster_unavailable', 2]]);
  const last = next.sentOfType('resume')[3];
  assert.notEqual(last.msgId, next.sentOfType('resume')[2].msgId, 'each retry is a new message');
  resumeOk(next, last);
  assert.equal(client.state, 'joined');
  const sent = next.sentOfType('game_event');
  assert.equal(sent.length, 1, 'the queued event goes out once the session is back');
  next.serverSend({ type: 'ack', for: sent[0].msgId, dseq: 3, roomId: 'room-1' });
  assert.equal((await queued).for, sent[0].msgId);
});

test('resume_failed still ends the session and joins afresh (only that code does)', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'viewer');
  socket.serverClose(1006);
  clock.advance(250);
  const next = FakeSocket.last();
  next.serverOpen();
  next.serverSend({ type: 'error', for: next.sentOfType('resume')[0].msgId, roomId: 'room-1',
    payload: { code: 'resume_failed' } });
  assert.equal(client.sessionToken, null);
  assert.equal(next.sentOfType('join').length, 1);
});

test('a gap in the live dseq drops the frame and resumes from the last contiguous dseq', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'viewer');
  const offers = [];
  const gaps = [];
  client.on('webrtc_offer', (m) => offers.push(m.payload.sdp));
  client.on('gap', (g) => gaps.push(g));
  socket.serverSend({ type: 'webrtc_offer', dseq: 3, senderId: 'h', payload: { sdp: 'a' } });
  socket.serverSend({ type: 'webrtc_offer', dseq: 5, senderId: 'h', payload: { sdp: 'c' } });
  socket.serverSend({ type: 'webrtc_offer', dseq: 6, senderId: 'h', payload: { sdp: 'd' } });
  assert.deepEqual(offers, ['a'], 'nothing after the gap is delivered from the old socket');
  assert.deepEqual(gaps.map((g) => [g.sequence, g.lastContiguous, g.received]), [['dseq', 3, 5]]);
  assert.equal(client.lastDseq, 3);
  assert.equal(client.sessionToken, 'tok-1');
  clock.advance(250);
  const next = FakeSocket.last();
  assert.notEqual(next, socket, 'a new socket');
  next.serverOpen();
  const resume = next.sentOfType('resume')[0];
  assert.deepEqual(resume.payload, { sessionToken: 'tok-1', lastDseq: 3, lastRseq: 0 });
  resumeOk(next, resume, { replayed: 3 });
  next.serverSend({ type: 'webrtc_offer', dseq: 4, senderId: 'h', payload: { sdp: 'b' } });
  next.serverSend({ type: 'webrtc_offer', dseq: 5, senderId: 'h', payload: { sdp: 'c' } });
  next.serverSend({ type: 'webrtc_offer', dseq: 6, senderId: 'h', payload: { sdp: 'd' } });
  next.serverSend({ type: 'game_state', roomId: 'room-1', payload: { version: 0, state: {}, snapshot: true } });
  assert.deepEqual(offers, ['a', 'b', 'c', 'd'], 'the replay fills the gap, each frame once');
  assert.equal(gaps.length, 1);
});

test('a gap in the live rseq resumes, but the rseq of the client\'s own acked game_events is not a gap', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'host');
  const events = [];
  const gaps = [];
  client.on('game_event', (m) => events.push(m.rseq));
  client.on('gap', (g) => gaps.push(g));
  socket.serverSend({ type: 'game_event', rseq: 10, senderId: 'v', payload: {} });
  // This client's own event takes rseq 11 and is not echoed to it; its ack comes first.
  const own = client.sendGameEvent({ mine: true });
  socket.serverSend({ type: 'ack', for: socket.sentOfType('game_event')[0].msgId, dseq: 3, roomId: 'room-1' });
  await own;
  socket.serverSend({ type: 'game_event', rseq: 12, senderId: 'v', payload: {} });
  assert.deepEqual(gaps, [], 'an own event is not a gap');
  socket.serverSend({ type: 'game_event', rseq: 14, senderId: 'v', payload: {} });
  assert.deepEqual(events, [10, 12]);
  assert.deepEqual(gaps.map((g) => [g.sequence, g.lastContiguous, g.received]), [['rseq', 12, 14]]);
  clock.advance(250);
  const next = FakeSocket.last();
  next.serverOpen();
  assert.deepEqual(next.sentOfType('resume')[0].payload, { sessionToken: 'tok-1', lastDseq: 3, lastRseq: 12 });
});

test('frames replayed after a resume with gap:true are taken as they come until the snapshot', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'viewer');
  socket.serverSend({ type: 'game_event', rseq: 3, payload: {} });
  socket.serverClose(1006);
  clock.advance(250);
  const next = FakeSocket.last();
  next.serverOpen();
  const gaps = [];
  client.on('gap', (g) => gaps.push(g));
  resumeOk(next, next.sentOfType('resume')[0], { gap: true, replayed: 1 });
  next.serverSend({ type: 'game_event', rseq: 40, payload: {} });
  next.serverSend({ type: 'game_state', payload: { version: 0, state: {}, snapshot: true } });
  next.serverSend({ type: 'game_event', rseq: 41, payload: {} });
  assert.deepEqual(gaps, []);
  assert.equal(client.lastRseq, 41);
  next.serverSend({ type: 'game_event', rseq: 43, payload: {} });
  assert.equal(gaps.length, 1, 'live frames are checked again after the snapshot');
});

test('connectTimeoutMs drops a socket that does not open and reconnects with backoff', async () => {
  const clock = new FakeClock();
  const client = newClient(clock, { connectTimeoutMs: 3000 });
  const errors = [];
  client.on('error', (e) => errors.push(e.payload.code));
  const joined = client.join('room-1', 'viewer');
  const first = FakeSocket.last();
  clock.advance(2999);
  assert.equal(FakeSocket.instances.length, 1);
  clock.advance(1);
  assert.deepEqual(errors, ['connect_timeout']);
  assert.equal(first.readyState, 3, 'the stalled socket was closed');
  clock.advance(250);
  assert.equal(FakeSocket.instances.length, 2, 'a new attempt after the backoff');
  const second = FakeSocket.last();
  second.serverOpen();
  first.serverOpen(); // a late open of the abandoned socket changes nothing
  const join = second.sentOfType('join');
  assert.equal(join.length, 1);
  assert.equal(first.sent.length, 0);
  second.serverSend({ type: 'ack', for: join[0].msgId, dseq: 1, roomId: 'room-1' });
  second.serverSend({ type: 'joined', roomId: 'room-1', dseq: 2,
    payload: { userId: 'u-1', role: 'viewer', sessionToken: 't', hostId: null, gameState: { version: 0, state: {} } } });
  assert.equal((await joined).type, 'joined');
});

test('maxReconnectAttempts gives up after that many consecutive failures and rejects what waits', async () => {
  const clock = new FakeClock();
  const { client, socket } = await joinedClient(clock, 'viewer', { maxReconnectAttempts: 2 });
  const failed = [];
  client.on('reconnect_failed', (e) => failed.push(e));
  const pending = client.sendGameEvent({ n: 1 });
  socket.serverClose(1006);
  clock.advance(250);
  FakeSocket.last().serverClose(1006);
  clock.advance(500);
  assert.equal(FakeSocket.instances.length, 3);
  FakeSocket.last().serverClose(1006);
  clock.advance(60000);
  assert.equal(FakeSocket.instances.length, 3, 'no third reconnect');
  assert.deepEqual(failed.map((e) => e.attempts), [2]);
  assert.equal(client.state, 'closed');
  await assert.rejects(pending, (err) => err.code === 'reconnect_failed');
});

test('getToken is asked for a fresh token before every socket, and the WebSocket option names the constructor', async () => {
  const clock = new FakeClock();
  let n = 0;
  const client = new SwitchboardClient('ws://fake/ws', {
    WebSocket: FakeSocket, storage: new MemoryStorage(), random: () => 0.5, ...clock.options(),
    getToken: async () => {
      n += 1;
      return `token-${n}`;
    },
  });
  client.join('room-1', 'viewer');
  await new Promise((resolve) => setImmediate(resolve));
  const first = FakeSocket.last();
  assert.equal(first.url, 'ws://fake/ws?authToken=token-1');
  first.serverClose(1006);
  clock.advance(250);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(FakeSocket.last().url, 'ws://fake/ws?authToken=token-2');
  client.close();
  assert.equal(client.state, 'closed');
});

test('iceServers from joined and from each resume are exposed for RTCPeerConnection', async () => {
  const clock = new FakeClock();
  const client = newClient(clock);
  assert.deepEqual(client.iceServers, [], 'none before joining');
  const joined = client.join('room-1', 'viewer');
  const socket = FakeSocket.last();
  socket.serverOpen();
  const join = socket.sentOfType('join')[0];
  const first = [{ urls: ['stun:stun.example.org:3478'] },
    { urls: ['turn:turn.example.org:3478'], username: '1764160600:u-1', credential: 'c2lnbmVk' }];
  socket.serverSend({ type: 'ack', for: join.msgId, dseq: 1, roomId: 'room-1' });
  socket.serverSend({ type: 'joined', roomId: 'room-1', dseq: 2, payload: { userId: 'u-1', role: 'viewer',
    sessionToken: 'tok-1', iceServers: first, gameState: { version: 0, state: {} } } });
  const frame = await joined;
  assert.deepEqual(frame.payload.iceServers, first, 'the joined result carries them');
  assert.deepEqual(client.iceServers, first);
  client.iceServers[1].username = 'tampered';
  assert.equal(client.iceServers[1].username, '1764160600:u-1', 'the accessor hands out copies');

  const resumedEvents = [];
  client.on('resumed', (e) => resumedEvents.push(e));
  socket.serverClose(1006);
  clock.advance(250);
  const next = FakeSocket.last();
  next.serverOpen();
  const resume = next.sentOfType('resume')[0];
  const renewed = [{ urls: ['turn:turn.example.org:3478'], username: '1764161200:u-1', credential: 'bmV3' }];
  next.serverSend({ type: 'resume_ok', for: resume.msgId, roomId: 'room-1', payload: { userId: 'u-1',
    role: 'viewer', position: null, gameStateVersion: 0, replayed: 0, gap: false, iceServers: renewed } });
  assert.equal(resumedEvents.length, 1);
  assert.deepEqual(resumedEvents[0].iceServers, renewed, 'the resumed event carries the fresh credentials');
  assert.deepEqual(client.iceServers, renewed);
});

test('a server without iceServers leaves the list empty', async () => {
  const clock = new FakeClock();
  const { client } = await joinedClient(clock, 'host');
  assert.deepEqual(client.iceServers, []);
});
