// A deliberately slow viewer for the Backpressure stress test. It runs in a worker so that its spinning
// message handler stalls only its own socket (the browser then stops reading it and the server's send
// buffer for it grows) while the host on the page keeps flooding.
import { SwitchboardClient, MemoryStorage } from './switchboard-client.js';

let client = null;
let delayMs = 0;
let messages = 0;
let gameStates = 0;
let awaitingAfterNormal = false;

function spin(ms) {
  const endMs = performance.now() + ms;
  while (performance.now() < endMs) {
    // Busy on purpose: this is the slow consumer.
  }
}

self.onmessage = async (e) => {
  const command = e.data;
  if (command.type === 'start') {
    delayMs = command.delayMs;
    client = new SwitchboardClient(command.url, {
      authToken: command.authToken, storage: new MemoryStorage(), storageKey: 'switchboard.slow-viewer',
    });
    client.on('message', (m) => {
      messages += 1;
      if (awaitingAfterNormal) {
        awaitingAfterNormal = false;
        self.postMessage({ type: 'after_normal', frameType: m.type, snapshot: !!(m.payload && m.payload.snapshot) });
      }
      if (m.type === 'flow_control' && m.payload && m.payload.mode === 'normal') {
        awaitingAfterNormal = true;
      }
      spin(delayMs);
    });
    client.on('game_state', () => {
      gameStates += 1;
    });
    client.on('flow_control', (m) => self.postMessage({ type: 'flow_control', payload: m.payload }));
    client.on('game_event', (m) => self.postMessage({ type: 'game_event', msgId: m.msgId }));
    client.on('closed', (c) => self.postMessage({ type: 'closed', code: c.code, reason: c.reason }));
    try {
      const joined = await client.join(command.roomId, 'viewer');
      self.postMessage({ type: 'joined', userId: joined.payload.userId });
    } catch (err) {
      self.postMessage({ type: 'join_failed', error: String(err && err.message) });
    }
  } else if (command.type === 'fast') {
    delayMs = 0;
  } else if (command.type === 'stats') {
    self.postMessage({ type: 'stats', messages, gameStates });
  } else if (command.type === 'stop' && client) {
    client.close();
  }
};
