// Opens N WebSocket connections, joins each to a room of ROOM_SIZE (the first of each room as host, the others as
// viewers), waits for every `joined`, prints READY and keeps the sockets open and idle until stdin closes or the time
// limit passes. Usage: node idle-joined.mjs ws://127.0.0.1:8080/ws 10000 600 [roomSize=5]
import { randomUUID } from 'node:crypto';
import WebSocket from '../../harness/node_modules/ws/index.js';

const [url, countText, secondsText, roomSizeText] = process.argv.slice(2);
const count = Number(countText ?? 1000);
const limitMs = 1000 * Number(secondsText ?? 60);
const roomSize = Number(roomSizeText ?? 5);
const sockets = [];
let joined = 0;

function open(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('error', (e) => reject(e));
    ws.once('open', () => {
      const role = i % roomSize === 0 ? 'host' : 'viewer';
      ws.send(JSON.stringify({ type: 'join', msgId: randomUUID(), roomId: `idle-${Math.floor(i / roomSize)}`, seq: 1,
        payload: { role } }));
    });
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"joined"')) {
        joined++;
        resolve(ws);
      }
    });
  });
}

// Hosts first, so every viewer joins a room that has its host (as it would in production).
for (let start = 0; start < count; start += 500) {
  const batch = [];
  for (let i = start; i < Math.min(count, start + 500); i++) {
    batch.push(open(i));
  }
  sockets.push(...(await Promise.all(batch)));
  console.log(`joined ${joined}/${count}`);
}
console.log(`READY ${joined}`);
setTimeout(() => process.exit(0), limitMs);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
