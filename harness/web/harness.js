// The harness page: a manual client (connect, join, room controls, event log), the signaling stress tests and
// a /metrics readout. Plain ES module on top of switchboard-client.js.
import { SwitchboardClient, MemoryStorage, randomUuid } from './switchboard-client.js';

const $ = (id) => document.getElementById(id);
const LOG_LIMIT = 1000;
const STEP_MS = 5000;

// ------------------------------------------------------------------ utilities

function defaultWsUrl() {
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  }
  return 'ws://127.0.0.1:8080/ws';
}

function httpBase() {
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    return location.origin;
  }
  return $('ws-url').value.replace(/^ws/, 'http').replace(/\/ws(\?.*)?$/, '');
}

function log(kind, text) {
  const box = $('log');
  const line = document.createElement('div');
  line.className = kind;
  const time = new Date().toISOString().slice(11, 23);
  line.textContent = `${time} ${kind === 'in' ? '<-' : kind === 'out' ? '->' : '··'} ${text}`;
  box.appendChild(line);
  while (box.childElementCount > LOG_LIMIT) {
    box.firstElementChild.remove();
  }
  box.scrollTop = box.scrollHeight;
}

function brief(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}... (${text.length} chars)` : text;
}

function within(promise, timeoutMs, what) {
  let timer;
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function waitUntil(condition, timeoutMs, what, intervalMs = 20) {
  const endMs = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > endMs) {
      throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function shortId() {
  return randomUuid().slice(0, 8);
}

function parseJson(id) {
  try {
    return JSON.parse($(id).value);
  } catch (err) {
    log('bad', `#${id} is not valid JSON: ${err.message}`);
    return undefined;
  }
}

// ------------------------------------------------------------------ metrics

async function fetchMetrics() {
  const response = await fetch(`${httpBase()}/metrics`, { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`GET /metrics answered ${response.status}`);
  }
  return response.text();
}

/** Sum of the samples of one metric family whose labels include all the given ones, or null if absent. */
function metricSum(text, name, labels = {}) {
  let sum = null;
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
      sum = (sum || 0) + Number(match[4]);
    }
  }
  return sum;
}

let metricsText = '';

function showMetrics() {
  const filter = $('metrics-filter').value.trim();
  const hideZero = $('metrics-hide-zero').checked;
  const lines = metricsText.split('\n').filter((line) => {
    if (filter && !line.includes(filter)) {
      return false;
    }
    return !(hideZero && !line.startsWith('#') && /\s0(\.0+)?(e[+-]?\d+)?$/.test(line));
  });
  $('metrics-output').textContent = lines.join('\n');
}

async function refreshMetrics() {
  const out = $('metrics-output');
  try {
    metricsText = await fetchMetrics();
    out.dataset.updated = String(Date.now());
    showMetrics();
  } catch (err) {
    out.textContent = `error: ${err.message}`;
  }
}

let metricsTimer = null;

// ------------------------------------------------------------------ the manual client

let client = null;

function showState() {
  const badge = $('conn-state');
  const state = client ? client.state : 'idle';
  badge.textContent = state;
  badge.dataset.state = state;
  $('conn-identity').textContent = client && client.userId
    ? `${client.userId} · ${client.role} · ${client.roomId}` : '';
}

function manualClient() {
  if (client) {
    return client;
  }
  client = new SwitchboardClient($('ws-url').value.trim(), {
    authToken: $('auth-token').value.trim() || undefined, storageKey: 'switchboard.harness.session',
  });
  client.on('sent', (e) => log('out', brief(e.text)));
  client.on('message', (m) => log('in', brief(m)));
  client.on('duplicate', (m) => log('info', `replayed frame already delivered, dropped: ${brief(m)}`));
  client.on('error', (e) => {
    if (e.local) {
      log('bad', `client error ${e.payload.code}: ${e.payload.message}`);
    }
  });
  client.on('retry_exhausted', (e) => log('bad', `no answer to ${e.type} ${e.msgId} after ${e.resends} resends`));
  client.on('reconnecting', (e) => log('info', `closed ${e.code}; reconnect attempt ${e.attempt} in ${e.delayMs} ms`));
  client.on('resumed', (e) => log('info', `resumed as ${e.role}${e.migrated ? ' (migrated)' : ''}, ${e.replayed} replayed`));
  client.on('resume_failed', () => log('bad', 'resume failed; joining afresh'));
  client.on('closed', (e) => {
    log('info', `socket closed ${e.code} ${e.reason || ''}${e.willReconnect ? '' : ' (no reconnect)'}`);
    showState();
  });
  client.on('state', showState);
  client.on('joined', (m) => {
    showState();
    log('info', `iceServers: ${brief(client.iceServers)}`);
    if (m.payload && m.payload.gameState) {
      $('gs-version').value = String((m.payload.gameState.version || 0) + 1);
    }
  });
  return client;
}

/**
 * Build a peer connection with the ICE servers (and TURN credentials) the server handed out in joined or
 * resume_ok, and put its offer's SDP in the SDP box, ready for "Send offer".
 */
async function makeOffer(c) {
  if (typeof RTCPeerConnection !== 'function') {
    throw new Error('this browser has no RTCPeerConnection');
  }
  const pc = new RTCPeerConnection({ iceServers: c.iceServers });
  pc.createDataChannel('switchboard-harness');
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  $('sdp').value = offer.sdp;
  log('info', `offer built with ${c.iceServers.length} ICE server entr${c.iceServers.length === 1 ? 'y' : 'ies'}`);
  pc.close();
}

function report(promise, what) {
  Promise.resolve(promise).then(
    (reply) => {
      if (reply && reply.type === 'ack') {
        log('info', `${what}: acked`);
      }
    },
    (err) => log('bad', `${what}: ${err.code || ''} ${err.message}`),
  );
}

function bindManualControls() {
  $('btn-join').addEventListener('click', () => {
    if (client && client.state === 'closed') {
      client = null;
    }
    report(manualClient().join($('room-id').value.trim(), $('role').value), 'join');
  });
  $('btn-resume').addEventListener('click', () => {
    if (client && client.state === 'closed') {
      client = null;
    }
    report(manualClient().resume(), 'resume');
  });
  $('btn-leave').addEventListener('click', () => client && report(client.leave(), 'leave'));
  $('btn-drop').addEventListener('click', () => client && client.dropConnection());
  $('btn-close').addEventListener('click', () => client && client.close());
  $('btn-ping').addEventListener('click', () => client && report(
    client.ping().then((pong) => log('info', `pong in ${Date.now() - pong.payload.ts} ms`)), 'ping'));
  $('btn-cohost-request').addEventListener('click', () => client && report(client.requestCohost(), 'cohost_request'));
  $('btn-cohost-cancel').addEventListener('click', () => client && report(client.cancelCohost(), 'cohost_cancel'));
  $('btn-cohost-accept').addEventListener('click', () => client
    && report(client.acceptCohost($('cohost-user').value.trim() || undefined), 'cohost_accept'));
  $('btn-cohost-end').addEventListener('click', () => client && report(client.endCohost(), 'cohost_end'));
  $('btn-offer').addEventListener('click', () => client
    && report(client.sendOffer($('target').value.trim(), $('sdp').value), 'webrtc_offer'));
  $('btn-make-offer').addEventListener('click', () => client && report(makeOffer(client), 'RTCPeerConnection offer'));
  $('btn-answer').addEventListener('click', () => client
    && report(client.sendAnswer($('target').value.trim(), $('sdp').value), 'webrtc_answer'));
  $('btn-ice').addEventListener('click', () => client
    && report(client.sendIceCandidate($('target').value.trim(),
      { candidate: $('candidate').value, sdpMid: '0', sdpMLineIndex: 0 }), 'ice_candidate'));
  $('btn-game-event').addEventListener('click', () => {
    const payload = parseJson('game-event');
    if (client && payload !== undefined) {
      report(client.sendGameEvent(payload), 'game_event');
    }
  });
  $('btn-game-state').addEventListener('click', () => {
    const patch = parseJson('gs-patch');
    const version = Number($('gs-version').value);
    if (client && patch !== undefined) {
      report(client.sendGameState(version, patch), 'game_state');
      $('gs-version').value = String(version + 1);
    }
  });
  $('metrics-refresh').addEventListener('click', refreshMetrics);
  $('metrics-filter').addEventListener('input', showMetrics);
  $('metrics-hide-zero').addEventListener('change', showMetrics);
  $('metrics-auto').addEventListener('change', (e) => {
    clearInterval(metricsTimer);
    metricsTimer = e.target.checked ? setInterval(refreshMetrics, 2000) : null;
  });
  $('log-clear').addEventListener('click', () => {
    $('log').textContent = '';
  });
}

// ------------------------------------------------------------------ stress tests

function stressClient(label) {
  return new SwitchboardClient($('ws-url').value.trim(), {
    authToken: $('auth-token').value.trim() || undefined,
    storage: new MemoryStorage(),
    storageKey: `switchboard.stress.${label}`,
  });
}

async function joinPair(name) {
  const roomId = `stress-${name}-${shortId()}`;
  const host = stressClient(`${name}-host`);
  const viewer = stressClient(`${name}-viewer`);
  await within(host.join(roomId, 'host'), STEP_MS, 'host joined');
  await within(viewer.join(roomId, 'viewer'), STEP_MS, 'viewer joined');
  return { roomId, host, viewer };
}

/** Same msgId five times: exactly one ack, no error, four duplicates counted by the server. */
async function duplicateTest() {
  const roomId = `stress-dup-${shortId()}`;
  const host = stressClient('dup');
  try {
    await within(host.join(roomId, 'host'), STEP_MS, 'joined');
    const label = { type: 'game_event', reason: 'duplicate' };
    const before = metricSum(await fetchMetrics(), 'drops_by_type_total', label) || 0;
    const msgId = randomUuid();
    const replies = [];
    host.on('message', (m) => {
      if (m.for === msgId) {
        replies.push(m.type);
      }
    });
    const frame = {
      type: 'game_event', msgId, roomId, seq: host.nextSeq(), ts: Date.now(), payload: { test: 'duplicate' },
    };
    for (let i = 0; i < 5; i++) {
      host.sendRaw(frame);
    }
    // A fresh critical message: the room applies in arrival order, so every reply to the five came before its ack.
    await within(host.sendGameEvent({ test: 'duplicate-barrier' }), STEP_MS, 'barrier ack');
    const acks = replies.filter((t) => t === 'ack').length;
    const errors = replies.length - acks;
    let delta = 0;
    try {
      await waitUntil(async () => {
        delta = (metricSum(await fetchMetrics(), 'drops_by_type_total', label) || 0) - before;
        return delta >= 4;
      }, 3000, 'duplicate drops');
    } catch (ignore) {
      // Reported below.
    }
    const saw = `sent 5 × ${msgId.slice(0, 8)}: ${acks} ack, ${errors} error, ${5 - replies.length} ignored; `
      + `drops_by_type_total{type="game_event",reason="duplicate"} +${delta}`;
    // At least 4: the counter is server-wide, so other clients' duplicates may land in the same interval.
    return { pass: acks === 1 && errors === 0 && delta >= 4, saw };
  } finally {
    host.close();
  }
}

/** 500 candidates at once: the server rate-limits them and the connection still answers a ping. */
async function iceFloodTest() {
  const { host, viewer } = await joinPair('ice');
  try {
    const before = metricSum(await fetchMetrics(), 'rate_limited_total', { type: 'ice_candidate' }) || 0;
    const rateErrors = [];
    const otherErrors = [];
    host.on('error', (e) => ((e.payload && e.payload.code === 'rate_limited') ? rateErrors : otherErrors).push(e));
    let batches = 0;
    let candidates = 0;
    viewer.on('ice_candidate', (m) => {
      batches += 1;
      candidates += (m.payload && Array.isArray(m.payload.candidates)) ? m.payload.candidates.length : 0;
    });
    const closes = [];
    host.on('closed', (e) => closes.push(e.code));
    const to = viewer.userId;
    for (let i = 0; i < 500; i++) {
      host.sendIceCandidate(to, {
        candidate: `candidate:${i} 1 udp 2122260223 192.0.2.${i % 250} ${50000 + i} typ host`,
        sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'flood',
      });
    }
    await waitUntil(() => rateErrors.length > 0, STEP_MS, 'a rate_limited error').catch(() => {});
    // Let the overall bucket refill a little (200/s), then prove the socket still serves.
    await sleep(500);
    let pong = null;
    for (let attempt = 0; attempt < 3 && !pong; attempt++) {
      pong = await within(host.ping(), 2000, 'pong').catch(() => null);
    }
    let delta = 0;
    try {
      await waitUntil(async () => {
        delta = (metricSum(await fetchMetrics(), 'rate_limited_total', { type: 'ice_candidate' }) || 0) - before;
        return delta > 0;
      }, 3000, 'rate_limited_total');
    } catch (ignore) {
      // Reported below.
    }
    const saw = `${rateErrors.length} rate_limited error(s), ${otherErrors.length} other; viewer got ${candidates} `
      + `candidates in ${batches} batches; rate_limited_total{type="ice_candidate"} +${delta}; `
      + `ping ${pong ? 'answered' : 'NOT answered'}; socket ${host.connected ? 'open' : `closed ${closes.join(',')}`}`;
    return { pass: rateErrors.length > 0 && !!pong && host.connected && closes.length === 0 && delta > 0, saw };
  } finally {
    host.close();
    viewer.close();
  }
}

/** Kill the host's socket; the client reconnects, resumes with its token, and gets role, state and replay back. */
async function resumeTest() {
  const { host, viewer } = await joinPair('resume');
  try {
    const userId = host.userId;
    const tag = shortId();
    await within(host.sendGameState(1, { score: 7, tag }), STEP_MS, 'game_state sent');
    await within(host.sendGameEvent({ step: 'before' }), STEP_MS, 'barrier ack');
    const replayed = [];
    const snapshots = [];
    host.on('game_event', (m) => replayed.push(m.msgId));
    host.on('game_state', (m) => {
      if (m.payload && m.payload.snapshot) {
        snapshots.push(m.payload);
      }
    });
    const closed = host.once('closed');
    const resumed = host.once('resumed');
    host.dropConnection();
    await within(closed, STEP_MS, 'socket closed');
    const missed = await within(viewer.sendGameEvent({ step: 'while-away' }), STEP_MS, 'viewer event acked');
    const result = await within(resumed, 15000, 'resumed');
    await waitUntil(() => snapshots.length > 0 && replayed.length > 0, STEP_MS, 'replay and snapshot');
    await within(host.ping(), STEP_MS, 'pong after resume');
    await sleep(200);
    const snapshot = snapshots[snapshots.length - 1];
    const stateOk = !!snapshot && snapshot.version === 1 && snapshot.state && snapshot.state.score === 7
      && snapshot.state.tag === tag;
    const replayOk = replayed.length === 1 && replayed[0] === missed.for;
    const saw = `resume_ok: role ${result.role}, gameStateVersion ${result.gameStateVersion}, replayed `
      + `${result.replayed}, gap ${result.gap}; userId ${host.userId === userId ? 'kept' : 'CHANGED'}; `
      + `missed game_event delivered ${replayed.filter((id) => id === missed.for).length}×; snapshot `
      + `${snapshot ? `v${snapshot.version} ${JSON.stringify(snapshot.state)}` : 'none'}`;
    return {
      pass: !result.migrated && result.role === 'host' && host.role === 'host' && host.userId === userId
        && result.gameStateVersion === 1 && stateOk && replayOk,
      saw,
    };
  } finally {
    host.close();
    viewer.close();
  }
}

/**
 * A slow viewer (a worker whose message handler spins) while the host floods large game_state patches: the
 * server drops non-critical messages to it (flow_control drop_non_critical, then normal with dropped > 0) and
 * still delivers every game_event.
 */
async function backpressureTest() {
  const roomId = `stress-bp-${shortId()}`;
  const host = stressClient('bp-host');
  const worker = new Worker(new URL('./slow-viewer-worker.js', import.meta.url), { type: 'module' });
  const seen = {
    modes: [], dropped: 0, events: new Set(), closed: null, joined: null, stats: null, afterNormal: null,
  };
  const workerReady = new Promise((resolve, reject) => {
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'joined') {
        seen.joined = m;
        resolve();
      } else if (m.type === 'join_failed') {
        reject(new Error(`worker join failed: ${m.error}`));
      } else if (m.type === 'flow_control') {
        seen.modes.push(m.payload.mode);
        if (m.payload.mode === 'normal') {
          seen.dropped += m.payload.dropped || 0;
        }
      } else if (m.type === 'game_event') {
        seen.events.add(m.msgId);
      } else if (m.type === 'closed') {
        seen.closed = m;
      } else if (m.type === 'stats') {
        seen.stats = m;
      } else if (m.type === 'after_normal' && !seen.afterNormal) {
        seen.afterNormal = m;
      }
    };
    worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
  });
  let floodTimer = null;
  let eventTimer = null;
  try {
    await within(host.join(roomId, 'host'), STEP_MS, 'host joined');
    worker.postMessage({ type: 'start', url: $('ws-url').value.trim(), roomId, delayMs: 100,
      authToken: $('auth-token').value.trim() || undefined });
    await within(workerReady, STEP_MS, 'slow viewer joined');

    const dropLabel = { reason: 'backpressure' };
    const dropsBefore = metricSum(await fetchMetrics(), 'drops_by_type_total', dropLabel) || 0;

    const blob = 'x'.repeat(40000);
    let version = 0;
    floodTimer = setInterval(() => {
      version += 1;
      host.sendGameState(version, { blob: `${version}:${blob}` }).catch(() => {});
    }, 18);
    const acked = [];
    const eventFailures = [];
    eventTimer = setInterval(() => {
      host.sendGameEvent({ bp: acked.length + eventFailures.length }).then(
        (ack) => acked.push(ack.for), (err) => eventFailures.push(err.code));
    }, 400);
    // The viewer reads its flow_control only after the backlog ahead of it, so watch the server's counter
    // of backpressure drops to know when drop mode began.
    await waitUntil(async () => seen.modes.includes('drop_non_critical') || seen.closed
      || (metricSum(await fetchMetrics(), 'drops_by_type_total', dropLabel) || 0) > dropsBefore,
    40000, 'drop mode', 250);
    await sleep(1000);
    clearInterval(floodTimer);
    clearInterval(eventTimer);
    floodTimer = null;
    eventTimer = null;
    // Let the last game_events be acked, then let the viewer catch up at full speed.
    await sleep(300);
    worker.postMessage({ type: 'fast' });
    await waitUntil(() => seen.modes.includes('normal') || seen.closed, 40000, 'flow_control normal');
    await waitUntil(() => acked.every((id) => seen.events.has(id)) || seen.closed, 20000, 'every game_event')
      .catch(() => {});
    worker.postMessage({ type: 'stats' });
    await waitUntil(() => seen.stats, 2000, 'stats').catch(() => {});
    const missing = acked.filter((id) => !seen.events.has(id)).length;
    const saw = `host sent ${version} game_state patches (~40 KB) and ${acked.length} game_events`
      + `${eventFailures.length ? ` (${eventFailures.length} refused: ${eventFailures.join(',')})` : ''}; `
      + `viewer flow_control: ${seen.modes.join(' → ') || 'none'}, dropped ${seen.dropped}; game_events arrived `
      + `${acked.length - missing}/${acked.length}`
      + `${seen.afterNormal
        ? `; after normal: ${seen.afterNormal.frameType}${seen.afterNormal.snapshot ? ' snapshot' : ''}` : ''}`
      + `${seen.stats ? `; viewer handled ${seen.stats.messages} messages, ${seen.stats.gameStates} game_state` : ''}`
      + `${seen.closed ? `; viewer socket CLOSED ${seen.closed.code}` : ''}`;
    const dropIndex = seen.modes.indexOf('drop_non_critical');
    const pass = dropIndex >= 0 && seen.modes.indexOf('normal', dropIndex) > dropIndex && seen.dropped > 0
      && acked.length > 0 && missing === 0 && eventFailures.length === 0 && !seen.closed;
    return { pass, saw };
  } finally {
    clearInterval(floodTimer);
    clearInterval(eventTimer);
    worker.postMessage({ type: 'stop' });
    setTimeout(() => worker.terminate(), 500);
    host.close();
  }
}

const TESTS = {
  duplicate: duplicateTest,
  'ice-flood': iceFloodTest,
  resume: resumeTest,
  backpressure: backpressureTest,
};

async function runTest(name) {
  const out = $(`result-${name}`);
  const button = $(`test-${name}`);
  button.disabled = true;
  out.dataset.status = 'running';
  out.textContent = 'running...';
  log('info', `stress test ${name}: started`);
  let result;
  try {
    result = await TESTS[name]();
  } catch (err) {
    result = { pass: false, saw: `error: ${err.message}` };
  }
  out.dataset.status = result.pass ? 'pass' : 'fail';
  out.textContent = `${result.pass ? 'PASS' : 'FAIL'}: ${result.saw}`;
  log(result.pass ? 'info' : 'bad', `stress test ${name}: ${out.textContent}`);
  button.disabled = false;
  return result.pass;
}

function bindStressControls() {
  for (const name of Object.keys(TESTS)) {
    $(`test-${name}`).addEventListener('click', () => runTest(name));
  }
  $('test-all').addEventListener('click', async () => {
    $('test-all').disabled = true;
    for (const name of Object.keys(TESTS)) {
      await runTest(name);
    }
    $('test-all').disabled = false;
  });
}

$('ws-url').value = defaultWsUrl();
bindManualControls();
bindStressControls();
showState();
window.harness = { runTest, refreshMetrics, get client() { return client; } };
document.body.dataset.ready = 'true';
