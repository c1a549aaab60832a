// Opens N idle WebSocket connections to a Switchboard server and keeps them open until stdin closes or
// the time limit passes. Usage: node idle-sockets.mjs ws://127.0.0.1:8080/ws 5000 60
import WebSocket from '../../harness/node_modules/ws/index.js';

const [url, countText, secondsText] = process.argv.slice(2);
const count = Number(countText ?? 1000);
const limitMs = 1000 * Number(secondsText ?? 60);
const sockets = [];
let opened = 0;
for (let i = 0; i < count; i++) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('error', (e) => { console.error('socket error', e.message); });
  sockets.push(new Promise((resolve) => ws.once('open', () => { opened++; resolve(ws); })));
  if (i % 500 === 499) {
    await Promise.all(sockets.slice(i - 499, i + 1));
    console.log(`opened ${opened}/${count}`);
  }
}
await Promise.all(sockets);
console.log(`READY ${opened}`);
setTimeout(() => process.exit(0), limitMs);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
