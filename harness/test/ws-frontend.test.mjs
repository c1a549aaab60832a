// Node's strict `ws` client against a running Switchboard front end: ping/pong, fragmented messages and
// the close handshake. The server URL comes from SWITCHBOARD_URL (the JUnit test that starts the server
// sets it), e.g. ws://127.0.0.1:8080/ws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

const url = process.env.SWITCHBOARD_URL;
if (!url) {
  throw new Error('SWITCHBOARD_URL is not set');
}

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 2 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      assert.equal(isBinary, false, 'server messages are text frames');
      resolve(JSON.parse(data.toString('utf8')));
    });
  });
}

test('ping message is answered with pong carrying the same ts', async () => {
  const ws = await open();
  const reply = nextMessage(ws);
  ws.send(JSON.stringify({ type: 'ping', ts: 4242 }));
  const pong = await reply;
  assert.equal(pong.type, 'pong');
  assert.equal(pong.payload.ts, 4242);
  ws.close(1000);
});

test('protocol-level ping gets a pong with the same payload', async () => {
  const ws = await open();
  const pong = new Promise((resolve) => ws.once('pong', resolve));
  ws.ping(Buffer.from('heartbeat'));
  assert.equal((await pong).toString('utf8'), 'heartbeat');
  ws.close(1000);
});

test('a message sent in fragments is reassembled', async () => {
  const ws = await open();
  const reply = nextMessage(ws);
  ws.send('{"type":"ping",', { fin: false });
  ws.send('"ts":99,"pad":"κόσμε 😀"', { fin: false });
  ws.send('}', { fin: true });
  const pong = await reply;
  assert.equal(pong.payload.ts, 99);
  ws.close(1000);
});

test('close handshake echoes the code and ends cleanly', async () => {
  const ws = await open();
  const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.close(4000, 'bye');
  const { code } = await closed;
  assert.equal(code, 4000);
});

test('a binary frame is refused with 1003', async () => {
  const ws = await open();
  const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send(Buffer.from([1, 2, 3]), { binary: true });
  assert.equal(await closed, 1003);
});

test('an oversized message is answered with payload_too_large and the socket stays open', async () => {
  const ws = await open();
  const reply = nextMessage(ws);
  ws.send(JSON.stringify({ type: 'ping', ts: 1, pad: 'a'.repeat(70000) }));
  const error = await reply;
  assert.equal(error.type, 'error');
  assert.equal(error.payload.code, 'payload_too_large');
  const pong = nextMessage(ws);
  ws.send(JSON.stringify({ type: 'ping', ts: 2 }));
  assert.equal((await pong).payload.ts, 2);
  ws.close(1000);
});
