// Mistakes the types must catch: client-types.test.mjs expects tsc to reject each line marked ERROR.
import { SwitchboardClient } from '@switchboard/client';

const client = new SwitchboardClient('ws://127.0.0.1:8080/ws', { connectTimeoutMs: 'soon' }); // ERROR TS2322
void client.join('room', 'guest'); // ERROR TS2345
void client.send('webrtc_offer', { sdp: 1 }, { to: 'u' }); // ERROR TS2322
client.on('joined', (m) => m.payload.sessionTokn); // ERROR TS2551
client.on('no_such_event', () => undefined); // ERROR TS2345
