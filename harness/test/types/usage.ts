// A TypeScript program using @switchboard/client as an application would; `tsc --noEmit --strict` must accept it
// (client-types.test.mjs). It is type-checked only, never run.
import WebSocket from 'ws';
import {
  SwitchboardClient, SwitchboardError, MemoryStorage, backoffDelayMs, closeCodeAction,
  type JoinedFrame, type ResumeOkFrame, type ResumeMigratedFrame, type ServerMessage, type IceServer,
  type SwitchboardClientOptions, type RelayedGameEventFrame,
} from '@switchboard/client';

const options: SwitchboardClientOptions = {
  WebSocket,
  storage: new MemoryStorage(),
  connectTimeoutMs: 5000,
  maxReconnectAttempts: 8,
  getToken: async () => 'jwt-from-my-backend',
};
const client = new SwitchboardClient('wss://signal.example.com/ws', options);
const browserLike = new SwitchboardClient('ws://127.0.0.1:8080/ws', {
  WebSocket: globalThis.WebSocket, authToken: 'x', autoReconnect: true,
});
browserLike.close();

async function main(): Promise<void> {
  const joined: JoinedFrame = await client.join('room-1', 'host');
  const token: string = joined.payload.sessionToken;
  const ice: IceServer[] | undefined = joined.payload.iceServers;
  const version: number = joined.payload.gameState.version;
  console.log(token, ice, version, client.userId?.toUpperCase(), client.role);

  const ack = await client.sendGameEvent({ move: 'e4', n: 1 });
  console.log(ack.for);
  await client.sendGameState(1, { board: [] });
  await client.sendOffer('user-2', 'v=0...');
  await client.sendIceCandidate('user-2', { candidate: 'candidate:1 1 udp ...', sdpMid: '0', sdpMLineIndex: 0 });
  await client.send('cohost_accept', { userId: 'user-2' });
  const pong = await client.ping();
  console.log(pong.payload.ts);

  client.on('game_event', (m: RelayedGameEventFrame) => console.log(m.senderId, m.payload, m.rseq));
  client.on('presence', (m) => console.log(m.payload.roomSize));
  client.on('role_changed', (m) => console.log(m.payload.role === 'guest'));
  client.on('flow_control', (m) => console.log(m.payload.mode, m.payload.dropped));
  client.on('ice_candidate', (m) => console.log(m.payload.candidates.length));
  client.on('resumed', (e) => console.log(e.migrated, e.replayed, e.gap, e.iceServers));
  client.on('resume_retry', (e) => console.log(e.code, e.attempt, e.delayMs));
  client.on('gap', (e) => console.log(e.sequence, e.lastContiguous, e.received));
  client.on('reconnect_failed', (e) => console.log(e.attempts));
  client.on('closed', (e) => console.log(e.code, e.reason, e.willReconnect));
  client.on('error', (e) => console.log(e.payload.code, e.for));
  client.on('message', (m: ServerMessage) => {
    if (m.type === 'joined') {
      console.log(m.payload.userId);
    }
  });
  const off = client.on('state', (s) => console.log(s === 'joined'));
  off();

  const resumed: ResumeOkFrame | ResumeMigratedFrame = await client.resume({ lastDseq: 0 });
  console.log(resumed.payload.position, resumed.payload.iceServers?.[0]?.urls);
  try {
    await client.leave();
  } catch (err) {
    if (err instanceof SwitchboardError) {
      console.log(err.code, err.msgId);
    }
  }
  console.log(backoffDelayMs(3), closeCodeAction(4009));
}

void main();
