// Switchboard JavaScript client (@switchboard/client): speaks protocol version 1 (PROTOCOL.md) over one WebSocket.
// An ES module with no build step and no Node-only imports: browsers and Node 22+ use their built-in WebSocket;
// older Node passes the `ws` package's WebSocket class as the `WebSocket` option. Types: switchboard-client.d.ts.

/** Client-to-server types that are acknowledged, deduplicated and retried (PROTOCOL.md section 3). */
export const CRITICAL_TYPES = Object.freeze([
  'join', 'leave', 'resume', 'webrtc_offer', 'webrtc_answer', 'game_event',
  'cohost_request', 'cohost_cancel', 'cohost_accept', 'cohost_end',
]);

/** Every type the server sends; each is also an event name of the client. */
export const SERVER_TYPES = Object.freeze([
  'ack', 'error', 'game_error', 'joined', 'resume_ok', 'resume_migrated', 'role_changed',
  'cohost_queue_updated', 'room_closed', 'flow_control', 'webrtc_offer', 'webrtc_answer', 'game_event',
  'ice_candidate', 'game_state', 'presence', 'pong',
]);

/** Events the client raises itself, beside the server types. */
export const CLIENT_EVENTS = Object.freeze([
  'open', 'message', 'sent', 'error', 'retry_exhausted', 'reconnecting', 'resumed', 'resume_failed',
  'closed', 'state', 'duplicate', 'resume_retry', 'gap', 'reconnect_failed',
]);

/** Waits before each resend of an unanswered critical message (section 4): 1 s, 2 s, 4 s. */
export const DEFAULT_RETRY_DELAYS_MS = Object.freeze([1000, 2000, 4000]);

const CRITICAL = new Set(CRITICAL_TYPES);
const DIRECTED = new Set(['webrtc_offer', 'webrtc_answer', 'ice_candidate']);
const SOCKET_SCOPED = new Set(['join', 'resume']);
const OPEN = 1;

/** An error the client surfaces: a server `error`/`game_error` reply or a local failure. */
export class SwitchboardError extends Error {
  constructor(code, message, frame = null, msgId = null) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'SwitchboardError';
    this.code = code;
    this.frame = frame;
    this.msgId = msgId;
  }
}

/**
 * Reconnect delay with exponential backoff and full jitter: uniform in [0, min(cap, base * 2^attempt)).
 * `attempt` counts failed attempts since the last success, from 0.
 */
export function backoffDelayMs(attempt, baseMs = 500, capMs = 10000, random = Math.random) {
  const ceilingMs = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceilingMs);
}

/**
 * What a close code asks of the client (section 11): 'reconnect' (then resume) or 'stop'.
 * 1000 (after leave or room_closed) and 4400-4999 stop; 4000-4399 and abnormal closes (1001, 1006, ...)
 * reconnect.
 */
export function closeCodeAction(code) {
  if (code === 1000) {
    return 'stop';
  }
  if (code >= 4400 && code <= 4999) {
    return 'stop';
  }
  return 'reconnect';
}

/** The `retry_after_ms=N` of a 4000 `server_draining` close reason, or null. */
export function retryAfterMs(reason) {
  const match = /retry_after_ms=(\d+)/.exec(reason || '');
  return match ? Number(match[1]) : null;
}

/** A canonical UUID v4 from crypto.randomUUID, or from crypto.getRandomValues outside secure contexts. */
export function randomUuid() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') {
    return c.randomUUID();
  }
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A Storage-like object kept in memory (used where sessionStorage does not exist, e.g. Node). */
export class MemoryStorage {
  constructor() {
    this.map = new Map();
  }

  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }

  setItem(key, value) {
    this.map.set(key, String(value));
  }

  removeItem(key) {
    this.map.delete(key);
  }
}

function defaultStorage() {
  try {
    if (globalThis.sessionStorage) {
      return globalThis.sessionStorage;
    }
  } catch (ignore) {
    // sessionStorage may throw when storage is disabled; fall back to memory.
  }
  return new MemoryStorage();
}

function settled(promise) {
  // Callers that ignore a promise must not get an unhandled rejection; awaiting it still throws.
  promise.catch(() => {});
  return promise;
}

/**
 * One Switchboard session over a WebSocket, with acks, retries, reconnect and resume.
 *
 * Options (types in switchboard-client.d.ts): WebSocket (a constructor; default globalThis.WebSocket; the older
 * name WebSocketImpl also works), authToken, getToken (called before every socket opens, may return a promise),
 * connectTimeoutMs (10000), maxReconnectAttempts (Infinity), setTimeout, clearTimeout, now, random (injectable
 * time), randomUUID, storage (default sessionStorage, else memory), storageKey, retryDelaysMs ([1000, 2000, 4000]),
 * finalAckTimeoutMs (4000), reconnectBaseMs (500), reconnectCapMs (10000), autoReconnect (true),
 * rejoinOnResumeFailed (true).
 */
export class SwitchboardClient {
  constructor(url, options = {}) {
    this.url = url;
    this.options = options;
    this.WebSocketImpl = options.WebSocket || options.WebSocketImpl || globalThis.WebSocket;
    if (!this.WebSocketImpl) {
      throw new TypeError('no WebSocket implementation: pass options.WebSocket (e.g. the ws package)');
    }
    this.authToken = options.authToken || null;
    this.getTokenFn = options.getToken || null;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10000;
    this.maxReconnectAttempts = options.maxReconnectAttempts ?? Infinity;
    this.setTimeoutFn = options.setTimeout || ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimeoutFn = options.clearTimeout || ((id) => globalThis.clearTimeout(id));
    this.nowFn = options.now || (() => Date.now());
    this.randomFn = options.random || Math.random;
    this.uuidFn = options.randomUUID || randomUuid;
    this.storage = options.storage || defaultStorage();
    this.storageKey = options.storageKey || 'switchboard.session';
    this.retryDelaysMs = options.retryDelaysMs || DEFAULT_RETRY_DELAYS_MS;
    this.finalAckTimeoutMs = options.finalAckTimeoutMs ?? 4000;
    this.iceServerList = [];
    this.reconnectBaseMs = options.reconnectBaseMs ?? 500;
    this.reconnectCapMs = options.reconnectCapMs ?? 10000;
    this.autoReconnect = options.autoReconnect ?? true;
    this.rejoinOnResumeFailed = options.rejoinOnResumeFailed ?? true;

    this.listeners = new Map();
    this.ws = null;
    this.state = 'idle';
    this.wanted = false;
    this.seq = 0;
    this.lastDseq = 0;
    this.lastRseq = 0;
    this.session = null;
    this.sessionActive = false;
    this.joinIntent = null;
    this.joinWaiter = null;
    this.resumeWaiter = null;
    this.resumePosition = null;
    this.resumeWanted = false;
    this.openWaiters = [];
    this.pongWaiters = [];
    this.pending = new Map();
    this.reconnectAttempt = 0;
    this.reconnectTimer = null;
    this.connectTimer = null;
    this.opening = null;
    this.resumeRetryAttempt = 0;
    this.resumeRetryTimer = null;
    this.replaying = false;
    this.ownBroadcasts = 0;
    this.dropRequested = false;
    this.sessionEnding = false;
    this.duplicatesDropped = 0;
    this.loadStoredSession();
  }

  // ---------------------------------------------------------------- events

  /** Listen to an event (a server type or a client event); returns a function that removes the listener. */
  on(event, fn) {
    if (!this.listeners.has(event)) {
      this.listeners.set(event, new Set());
    }
    this.listeners.get(event).add(fn);
    return () => this.off(event, fn);
  }

  /** Remove a listener. */
  off(event, fn) {
    const set = this.listeners.get(event);
    if (set) {
      set.delete(fn);
    }
  }

  /** A promise of the next event of this name for which `predicate` holds. */
  once(event, predicate = () => true) {
    return new Promise((resolve) => {
      const off = this.on(event, (value) => {
        if (predicate(value)) {
          off();
          resolve(value);
        }
      });
    });
  }

  emit(event, value) {
    const set = this.listeners.get(event);
    if (!set) {
      return;
    }
    for (const fn of [...set]) {
      try {
        fn(value);
      } catch (err) {
        // A failing listener must not corrupt the client's state; report it outside this call stack.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  // ---------------------------------------------------------------- state

  /** The user id the server gave this session, or null. */
  get userId() {
    return this.session ? this.session.userId : null;
  }

  /** The current role ('host', 'viewer', 'guest'), or null. */
  get role() {
    return this.session ? this.session.role : null;
  }

  /** The room of the session, or null. */
  get roomId() {
    return this.session ? this.session.roomId : null;
  }

  /**
   * The ICE servers from the last `joined` or `resume_ok`, ready for `new RTCPeerConnection({ iceServers })`:
   * STUN URLs and TURN URLs with time-limited credentials; an empty array when the server configures none.
   */
  get iceServers() {
    return this.iceServerList.map((server) => ({ ...server }));
  }

  /** The session token from `joined`, or null. */
  get sessionToken() {
    return this.session ? this.session.token : null;
  }

  /** True while a socket is open. */
  get connected() {
    return !!this.ws && this.ws.readyState === OPEN;
  }

  /** The underlying WebSocket (for tests and diagnostics). */
  get socket() {
    return this.ws;
  }

  /** Critical messages still waiting for an answer. */
  get pendingCount() {
    return this.pending.size;
  }

  setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.emit('state', state);
    }
  }

  loadStoredSession() {
    try {
      const text = this.storage.getItem(this.storageKey);
      if (text) {
        const stored = JSON.parse(text);
        if (stored && typeof stored.token === 'string') {
          this.session = {
            token: stored.token, roomId: stored.roomId, userId: stored.userId, role: stored.role,
            requestedRole: stored.requestedRole || stored.role,
          };
          this.lastDseq = stored.lastDseq || 0;
          this.lastRseq = stored.lastRseq || 0;
        }
      }
    } catch (ignore) {
      // A corrupt stored session is treated as none.
    }
  }

  persist() {
    try {
      if (this.session && this.session.token) {
        this.storage.setItem(this.storageKey, JSON.stringify({
          token: this.session.token, roomId: this.session.roomId, userId: this.session.userId,
          role: this.session.role, requestedRole: this.session.requestedRole,
          lastDseq: this.lastDseq, lastRseq: this.lastRseq,
        }));
      } else {
        this.storage.removeItem(this.storageKey);
      }
    } catch (ignore) {
      // Storage full or disabled: the session still works in memory.
    }
  }

  endSession() {
    this.session = null;
    this.sessionActive = false;
    this.persist();
  }

  // ---------------------------------------------------------------- connection

  /** Open the socket (no join); resolves when it is open. */
  connect() {
    this.wanted = true;
    if (this.connected) {
      return Promise.resolve();
    }
    const promise = new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
    if (this.idle()) {
      this.openSocket();
    }
    return settled(promise);
  }

  /** No socket, no socket being opened and no reconnect scheduled. */
  idle() {
    return !this.ws && this.reconnectTimer === null && this.opening === null;
  }

  openSocket() {
    this.reconnectTimer = null;
    if (!this.getTokenFn) {
      this.createSocket();
      return;
    }
    // A fresh token for every socket (e.g. a short-lived JWT); a close() meanwhile cancels the open.
    const opening = {};
    this.opening = opening;
    this.setState(this.session ? 'reconnecting' : 'connecting');
    Promise.resolve().then(() => this.getTokenFn()).then((token) => {
      if (this.opening !== opening) {
        return;
      }
      this.opening = null;
      this.authToken = token || null;
      this.createSocket();
    }, (err) => {
      if (this.opening !== opening) {
        return;
      }
      this.opening = null;
      this.emitLocalError('token_failed', `getToken failed: ${err && err.message ? err.message : err}`);
      this.afterClose(1006, 'token_failed', this.wanted && this.autoReconnect);
    });
  }

  createSocket() {
    let target = this.url;
    if (this.authToken) {
      target += (target.includes('?') ? '&' : '?') + 'authToken=' + encodeURIComponent(this.authToken);
    }
    this.setState(this.session ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new this.WebSocketImpl(target);
    } catch (err) {
      this.failOpenWaiters(new SwitchboardError('connect_failed', String(err && err.message)));
      this.wanted = false;
      this.setState('closed');
      return;
    }
    this.ws = ws;
    if (this.connectTimeoutMs > 0 && this.connectTimeoutMs !== Infinity) {
      this.connectTimer = this.setTimeoutFn(() => this.onConnectTimeout(ws), this.connectTimeoutMs);
    }
    ws.onopen = () => this.handleOpen(ws);
    ws.onmessage = (event) => this.handleMessage(ws, event.data);
    ws.onclose = (event) => this.handleClose(ws, event.code, event.reason);
    ws.onerror = () => {
      // A close event follows every error; the close decides what happens.
    };
  }

  onConnectTimeout(ws) {
    this.connectTimer = null;
    if (ws !== this.ws || ws.readyState === OPEN) {
      return;
    }
    this.emitLocalError('connect_timeout', `no open socket within ${this.connectTimeoutMs} ms`);
    this.abandonSocket('connect_timeout');
  }

  clearConnectTimer() {
    if (this.connectTimer !== null) {
      this.clearTimeoutFn(this.connectTimer);
      this.connectTimer = null;
    }
  }

  /** Give up on the current socket at once (ignoring what it still delivers) and reconnect as after a drop. */
  abandonSocket(reason) {
    const ws = this.ws;
    if (ws) {
      this.detach(ws);
      try {
        if (typeof ws.terminate === 'function') {
          ws.terminate();
        } else {
          ws.close();
        }
      } catch (ignore) {
        // Already closing.
      }
    }
    this.dropRequested = true;
    this.handleClose(null, 1006, reason);
  }

  handleOpen(ws) {
    if (ws !== this.ws) {
      return;
    }
    this.clearConnectTimer();
    this.setState('open');
    const waiters = this.openWaiters;
    this.openWaiters = [];
    for (const waiter of waiters) {
      waiter.resolve();
    }
    this.emit('open', { url: this.url });
    if (this.session && this.session.token && this.resumeWanted) {
      this.sendResume();
    } else if (this.joinIntent) {
      this.sendJoin();
    } else {
      this.reconnectAttempt = 0;
    }
  }

  /** Close for good: no reconnect; the session stays resumable on the server (use leave() to end it). */
  close() {
    if (this.state === 'closed' && !this.ws && this.reconnectTimer === null) {
      return;
    }
    this.wanted = false;
    this.cancelReconnect();
    this.opening = null;
    const ws = this.ws;
    if (ws) {
      try {
        ws.close(1000, 'client_close');
      } catch (ignore) {
        // Already closing.
      }
      this.detach(ws);
      this.afterClose(1000, 'client_close', false);
    } else {
      this.afterClose(1000, 'client_close', false);
    }
  }

  /** Drop the socket as a network failure would; the client reconnects and resumes. */
  dropConnection() {
    const ws = this.ws;
    if (!ws) {
      return;
    }
    this.dropRequested = true;
    if (typeof ws.terminate === 'function') {
      ws.terminate();
    } else {
      try {
        ws.close(3000, 'dropped');
      } catch (ignore) {
        // Already closing.
      }
      // A browser socket may take a while to report its close; act now as a dropped connection would.
      this.detach(ws);
      this.handleClose(null, 1006, 'dropped');
    }
  }

  detach(ws) {
    ws.onopen = null;
    ws.onmessage = null;
    ws.onclose = null;
    ws.onerror = () => {};
    if (ws === this.ws) {
      this.ws = null;
    }
  }

  handleClose(ws, code, reason) {
    if (ws !== null) {
      if (ws !== this.ws) {
        return;
      }
      this.detach(ws);
    }
    this.ws = null;
    this.clearConnectTimer();
    const dropped = this.dropRequested;
    this.dropRequested = false;
    const reconnect = this.wanted && this.autoReconnect && (dropped || closeCodeAction(code) === 'reconnect');
    this.afterClose(code, reason || '', reconnect);
  }

  afterClose(code, reason, wantsReconnect) {
    this.sessionActive = false;
    this.replaying = false;
    this.clearConnectTimer();
    this.cancelResumeRetry();
    this.pauseRetries();
    const exhausted = wantsReconnect && this.reconnectAttempt >= this.maxReconnectAttempts;
    const reconnect = wantsReconnect && !exhausted;
    this.emit('closed', { code, reason, willReconnect: reconnect });
    if (exhausted) {
      this.emit('reconnect_failed', { attempts: this.reconnectAttempt, code, reason });
    }
    if (reconnect) {
      this.resumeWanted = true;
      const drainDelayMs = code === 4000 ? retryAfterMs(reason) : null;
      const delayMs = drainDelayMs !== null
        ? drainDelayMs
        : backoffDelayMs(this.reconnectAttempt, this.reconnectBaseMs, this.reconnectCapMs, this.randomFn);
      const attempt = this.reconnectAttempt;
      this.reconnectAttempt += 1;
      this.setState('reconnecting');
      this.emit('reconnecting', { attempt, delayMs, code, reason });
      this.reconnectTimer = this.setTimeoutFn(() => this.openSocket(), delayMs);
      return;
    }
    this.wanted = false;
    this.setState('closed');
    const error = exhausted
      ? new SwitchboardError('reconnect_failed', `gave up after ${this.reconnectAttempt} reconnect attempts`)
      : new SwitchboardError('closed', `socket closed with ${code}${reason ? ' ' + reason : ''}`);
    this.failOpenWaiters(error);
    this.failAllPending(error);
    if (code === 1000 && this.sessionEnding) {
      this.endSession();
    }
    this.sessionEnding = false;
  }

  cancelResumeRetry() {
    if (this.resumeRetryTimer !== null) {
      this.clearTimeoutFn(this.resumeRetryTimer);
      this.resumeRetryTimer = null;
    }
  }

  cancelReconnect() {
    if (this.reconnectTimer !== null) {
      this.clearTimeoutFn(this.reconnectTimer);
      this.reconnectTimer = null;
    }
  }

  failOpenWaiters(error) {
    const waiters = this.openWaiters;
    this.openWaiters = [];
    for (const waiter of waiters) {
      waiter.reject(error);
    }
  }

  failAllPending(error) {
    for (const entry of [...this.pending.values()]) {
      this.pending.delete(entry.msgId);
      this.clearEntryTimer(entry);
      entry.reject(error);
    }
    for (const waiter of this.pongWaiters) {
      waiter.reject(error);
    }
    this.pongWaiters = [];
    if (this.joinWaiter) {
      this.joinWaiter.reject(error);
      this.joinWaiter = null;
    }
    this.joinIntent = null;
    if (this.resumeWaiter) {
      this.resumeWaiter.reject(error);
      this.resumeWaiter = null;
    }
  }

  // ---------------------------------------------------------------- join, leave, resume

  /** Join a room as 'host' or 'viewer'; resolves with the `joined` frame. */
  join(roomId, role = 'viewer') {
    if (this.sessionActive) {
      return settled(Promise.reject(new SwitchboardError('already_joined', 'leave the current room first')));
    }
    this.wanted = true;
    const promise = new Promise((resolve, reject) => {
      if (this.joinWaiter) {
        this.joinWaiter.reject(new SwitchboardError('superseded', 'a newer join was requested'));
      }
      this.joinWaiter = { resolve, reject };
    });
    this.joinIntent = { roomId, role };
    if (this.connected && !this.sessionActive) {
      this.sendJoin();
    } else if (this.idle()) {
      this.openSocket();
    }
    return settled(promise);
  }

  sendJoin() {
    const intent = this.joinIntent;
    this.session = null;
    this.sessionActive = false;
    this.lastDseq = 0;
    this.lastRseq = 0;
    this.ownBroadcasts = 0;
    this.persist();
    this.transmitCritical('join', { role: intent.role }, { roomId: intent.roomId });
  }

  /** End the session for good; resolves with the ack (the server then closes the socket with 1000). */
  leave() {
    this.sessionEnding = true;
    return this.send('leave', {});
  }

  /**
   * Resume the stored session on a new socket; resolves with `resume_ok` or `resume_migrated`.
   * `position` may override the reported {lastDseq, lastRseq} (e.g. a lagging persisted position); frames
   * the client has already delivered are still delivered only once.
   */
  resume(position = null) {
    if (!this.session || !this.session.token) {
      return settled(Promise.reject(new SwitchboardError('resume_failed', 'no session token')));
    }
    this.wanted = true;
    this.resumeWanted = true;
    this.resumePosition = position;
    const promise = new Promise((resolve, reject) => {
      if (this.resumeWaiter) {
        this.resumeWaiter.reject(new SwitchboardError('superseded', 'a newer resume was requested'));
      }
      this.resumeWaiter = { resolve, reject };
    });
    if (this.connected && !this.sessionActive) {
      this.sendResume();
    } else if (this.connected && this.sessionActive) {
      // The session is live on this socket: resuming means replacing the socket.
      this.dropConnection();
    } else if (!this.ws && this.opening === null) {
      this.cancelReconnect();
      this.openSocket();
    }
    return settled(promise);
  }

  sendResume() {
    const position = this.resumePosition;
    this.resumePosition = null;
    this.transmitCritical('resume', {
      sessionToken: this.session.token,
      lastDseq: position && position.lastDseq !== undefined ? position.lastDseq : this.lastDseq,
      lastRseq: position && position.lastRseq !== undefined ? position.lastRseq : this.lastRseq,
    }, { roomId: this.session.roomId });
  }

  // ---------------------------------------------------------------- sending

  nextSeq() {
    this.seq += 1;
    return this.seq;
  }

  envelope(type, payload, options) {
    const frame = {
      type,
      msgId: options.msgId || this.uuidFn(),
      roomId: options.roomId || (this.session ? this.session.roomId : undefined),
      seq: this.nextSeq(),
      ts: this.nowFn(),
    };
    if (options.to !== undefined) {
      frame.to = options.to;
    }
    frame.payload = payload || {};
    return frame;
  }

  /**
   * Send a message of any client type. Critical types resolve with the `ack` (reject with a SwitchboardError
   * on `error`, `game_error`, retry exhaustion or a terminal close); non-critical types resolve with the
   * envelope once written. Options: to, msgId (reuse one, e.g. to test dedupe), roomId.
   */
  send(type, payload = {}, options = {}) {
    if (type === 'ping') {
      return this.ping();
    }
    if (type === 'join' || type === 'resume') {
      return settled(Promise.reject(new TypeError(`use client.${type}()`)));
    }
    if (DIRECTED.has(type) && options.to === undefined) {
      return settled(Promise.reject(new TypeError(`${type} needs options.to`)));
    }
    if (CRITICAL.has(type)) {
      if (!this.session || (!this.wanted && !this.connected)) {
        return settled(Promise.reject(new SwitchboardError('not_in_room', 'join a room first')));
      }
      return this.transmitCritical(type, payload, options);
    }
    if (!this.sessionActive || !this.connected) {
      return settled(Promise.reject(new SwitchboardError('not_connected', `${type} dropped while disconnected`)));
    }
    const frame = this.envelope(type, payload, options);
    this.write(frame, JSON.stringify(frame), false);
    return Promise.resolve(frame);
  }

  /** Send any object as is (no msgId, seq or retry added); returns whether it was written. */
  sendRaw(frame) {
    if (!this.connected) {
      return false;
    }
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.ws.send(text);
    this.emit('sent', { frame: typeof frame === 'string' ? null : frame, text, resend: false, raw: true });
    return true;
  }

  write(frame, text, resend) {
    this.ws.send(text);
    this.emit('sent', { frame, text, resend, raw: false });
  }

  transmitCritical(type, payload, options) {
    const frame = this.envelope(type, payload, options);
    const entry = {
      msgId: frame.msgId, type, frame, text: JSON.stringify(frame), resends: 0, everSent: false,
      timer: null, dueAtMs: 0, remainingMs: null, resolve: null, reject: null,
    };
    const promise = new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    this.pending.set(entry.msgId, entry);
    if (this.canTransmit(entry)) {
      this.transmit(entry);
    }
    return settled(promise);
  }

  canTransmit(entry) {
    return this.connected && (SOCKET_SCOPED.has(entry.type) || this.sessionActive);
  }

  transmit(entry) {
    const resend = entry.everSent;
    entry.everSent = true;
    this.write(entry.frame, entry.text, resend);
    this.armRetry(entry, entry.resends < this.retryDelaysMs.length
      ? this.retryDelaysMs[entry.resends] : this.finalAckTimeoutMs);
  }

  armRetry(entry, delayMs) {
    this.clearEntryTimer(entry);
    entry.dueAtMs = this.nowFn() + delayMs;
    entry.remainingMs = null;
    entry.timer = this.setTimeoutFn(() => this.onRetryTimer(entry), delayMs);
  }

  clearEntryTimer(entry) {
    if (entry.timer !== null) {
      this.clearTimeoutFn(entry.timer);
      entry.timer = null;
    }
  }

  onRetryTimer(entry) {
    entry.timer = null;
    if (this.pending.get(entry.msgId) !== entry) {
      return;
    }
    if (!this.canTransmit(entry)) {
      entry.remainingMs = 0;
      return;
    }
    if (entry.resends < this.retryDelaysMs.length) {
      entry.resends += 1;
      this.transmit(entry);
      return;
    }
    this.pending.delete(entry.msgId);
    const detail = { msgId: entry.msgId, type: entry.type, resends: entry.resends, frame: entry.frame };
    const error = new SwitchboardError('retry_exhausted',
      `no answer to ${entry.type} after ${entry.resends} resends`, null, entry.msgId);
    this.emit('retry_exhausted', detail);
    this.emitLocalError('retry_exhausted', error.message, entry.msgId);
    entry.reject(error);
    if (entry.type === 'join') {
      this.joinIntent = null;
      if (this.joinWaiter) {
        this.joinWaiter.reject(error);
        this.joinWaiter = null;
      }
    } else if (entry.type === 'resume') {
      // The socket looks dead: replace it; the reconnect resumes again.
      this.dropConnection();
    }
  }

  pauseRetries() {
    const nowMs = this.nowFn();
    for (const entry of [...this.pending.values()]) {
      if (SOCKET_SCOPED.has(entry.type)) {
        // Join and resume belong to one socket; the next socket sends them afresh.
        this.pending.delete(entry.msgId);
        this.clearEntryTimer(entry);
        continue;
      }
      if (entry.timer !== null) {
        this.clearEntryTimer(entry);
        entry.remainingMs = Math.max(0, entry.dueAtMs - nowMs);
      }
    }
  }

  continueRetries() {
    for (const entry of [...this.pending.values()]) {
      if (SOCKET_SCOPED.has(entry.type) || entry.timer !== null) {
        continue;
      }
      if (!entry.everSent) {
        this.transmit(entry);
      } else {
        const delayMs = entry.remainingMs === null ? 0 : entry.remainingMs;
        this.clearEntryTimer(entry);
        entry.dueAtMs = this.nowFn() + delayMs;
        entry.remainingMs = null;
        entry.timer = this.setTimeoutFn(() => this.onRetryTimer(entry), delayMs);
      }
    }
  }

  emitLocalError(code, message, msgId = null) {
    const frame = { type: 'error', payload: { code, message }, local: true };
    if (msgId) {
      frame.for = msgId;
    }
    this.emit('error', frame);
  }

  // ---------------------------------------------------------------- convenience senders

  /** Application ping; resolves with the `pong` echoing this ping's ts. */
  ping() {
    if (!this.connected) {
      return settled(Promise.reject(new SwitchboardError('not_connected', 'ping while disconnected')));
    }
    const ts = this.nowFn();
    const promise = new Promise((resolve, reject) => this.pongWaiters.push({ ts, resolve, reject }));
    const frame = { type: 'ping', ts };
    this.write(frame, JSON.stringify(frame), false);
    return settled(promise);
  }

  /** Relay an SDP offer to a user of the room. */
  sendOffer(to, sdp) {
    return this.send('webrtc_offer', { sdp }, { to });
  }

  /** Relay an SDP answer to a user of the room. */
  sendAnswer(to, sdp) {
    return this.send('webrtc_answer', { sdp }, { to });
  }

  /** Relay one ICE candidate (an RTCIceCandidateInit-like object or a candidate string). */
  sendIceCandidate(to, candidate) {
    const payload = typeof candidate === 'string' ? { candidate } : { ...candidate };
    return this.send('ice_candidate', payload, { to });
  }

  /** Broadcast an application event to the rest of the room. */
  sendGameEvent(payload) {
    return this.send('game_event', payload);
  }

  /** Merge a patch into the room's game state (host only); version must increase. */
  sendGameState(version, patch) {
    return this.send('game_state', { version, patch });
  }

  /** Ask to become the co-host (viewer). */
  requestCohost() {
    return this.send('cohost_request', {});
  }

  /** Leave the co-host queue. */
  cancelCohost() {
    return this.send('cohost_cancel', {});
  }

  /** Accept a queued viewer as the active guest (host); default the head of the queue. */
  acceptCohost(userId) {
    return this.send('cohost_accept', userId ? { userId } : {});
  }

  /** End the active guest (host or the guest). */
  endCohost() {
    return this.send('cohost_end', {});
  }

  // ---------------------------------------------------------------- receiving

  handleMessage(ws, data) {
    if (ws !== this.ws) {
      return;
    }
    let msg;
    try {
      msg = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch (err) {
      this.emitLocalError('bad_frame', 'server sent invalid JSON');
      return;
    }
    if (!msg || typeof msg !== 'object') {
      return;
    }
    if (typeof msg.dseq === 'number') {
      if (msg.dseq <= this.lastDseq) {
        this.duplicatesDropped += 1;
        this.emit('duplicate', msg);
        return;
      }
      if (this.checkingGaps() && msg.dseq > this.lastDseq + 1) {
        this.onGap('dseq', this.lastDseq, msg);
        return;
      }
      this.lastDseq = msg.dseq;
    }
    if (typeof msg.rseq === 'number') {
      if (msg.rseq <= this.lastRseq) {
        this.duplicatesDropped += 1;
        this.emit('duplicate', msg);
        return;
      }
      // The sender's own game_events are not sent back to it: each acked one explains one missing rseq.
      if (this.checkingGaps() && this.lastRseq > 0 && msg.rseq - this.lastRseq - 1 > this.ownBroadcasts) {
        this.onGap('rseq', this.lastRseq, msg);
        return;
      }
      this.lastRseq = msg.rseq;
      this.ownBroadcasts = 0;
    }
    if (typeof msg.dseq === 'number' || typeof msg.rseq === 'number') {
      this.persist();
    }
    this.apply(msg);
    this.emit(msg.type, msg);
    this.emit('message', msg);
  }

  /** Live frames are checked for gaps; a resume's replay is not (the server reports its own gaps there). */
  checkingGaps() {
    return this.sessionActive && !this.replaying;
  }

  /** A frame skipped a sequence number: the missed frame is in the server's replay window, so resume. */
  onGap(sequence, last, msg) {
    this.emit('gap', { sequence, lastContiguous: last, received: msg[sequence], frame: msg });
    this.abandonSocket('gap');
  }

  apply(msg) {
    const p = msg.payload || {};
    if (this.replaying && msg.type === 'game_state' && p.snapshot) {
      // The snapshot closes a resume's replay (section 6): live frames follow.
      this.replaying = false;
    }
    switch (msg.type) {
      case 'ack':
        this.settle(msg, null);
        break;
      case 'error':
      case 'game_error':
        this.settle(msg, new SwitchboardError(p.code || 'error', p.message || '', msg, msg.for || null));
        break;
      case 'joined':
        this.onJoined(msg, p);
        break;
      case 'resume_ok':
      case 'resume_migrated':
        this.onResumed(msg, p);
        break;
      case 'role_changed':
        if (this.session) {
          this.session.role = p.role;
          this.persist();
        }
        break;
      case 'room_closed':
        this.sessionEnding = true;
        break;
      case 'pong': {
        const keep = [];
        for (const waiter of this.pongWaiters) {
          if (waiter.ts === p.ts) {
            waiter.resolve(msg);
          } else {
            keep.push(waiter);
          }
        }
        this.pongWaiters = keep;
        break;
      }
      default:
        break;
    }
  }

  settle(msg, error) {
    const entry = msg.for ? this.pending.get(msg.for) : undefined;
    if (!entry) {
      return;
    }
    this.pending.delete(entry.msgId);
    this.clearEntryTimer(entry);
    if (entry.type === 'resume' && error) {
      if (error.code === 'resume_failed') {
        this.onResumeFailed(msg, error);
      } else {
        this.onResumeDeferred(msg, error);
      }
      entry.reject(error);
      return;
    }
    if (entry.type === 'game_event' && !error) {
      this.ownBroadcasts += 1;
    }
    if (error) {
      entry.reject(error);
      if (entry.type === 'join') {
        this.joinIntent = null;
        if (this.joinWaiter) {
          this.joinWaiter.reject(error);
          this.joinWaiter = null;
        }
      }
      if (entry.type === 'leave') {
        this.sessionEnding = false;
      }
      return;
    }
    if (entry.type === 'leave') {
      this.endSession();
    }
    entry.resolve(msg);
  }

  /** The session is live again (joined or resumed): stop reconnecting, keep the session, report 'joined'. */
  markSessionLive() {
    this.sessionActive = true;
    this.resumeWanted = false;
    this.reconnectAttempt = 0;
    this.resumeRetryAttempt = 0;
    this.persist();
    this.setState('joined');
  }

  onJoined(msg, p) {
    this.iceServerList = Array.isArray(p.iceServers) ? p.iceServers : [];
    const intent = this.joinIntent || { roomId: msg.roomId, role: p.role };
    this.joinIntent = null;
    this.session = {
      token: p.sessionToken, roomId: msg.roomId || intent.roomId, userId: p.userId, role: p.role,
      requestedRole: intent.role,
    };
    this.markSessionLive();
    if (this.joinWaiter) {
      this.joinWaiter.resolve(msg);
      this.joinWaiter = null;
    }
    this.continueRetries();
  }

  onResumed(msg, p) {
    const entry = msg.for ? this.pending.get(msg.for) : undefined;
    if (entry) {
      this.pending.delete(entry.msgId);
      this.clearEntryTimer(entry);
      entry.resolve(msg);
    }
    if (Array.isArray(p.iceServers)) {
      // Fresh TURN credentials with every resume: the ones from joined may have expired meanwhile.
      this.iceServerList = p.iceServers;
    }
    if (this.session) {
      if (p.role) {
        this.session.role = p.role;
      }
      if (p.userId) {
        this.session.userId = p.userId;
      }
    }
    this.markSessionLive();
    this.replaying = true;
    this.ownBroadcasts = 0;
    if (this.resumeWaiter) {
      this.resumeWaiter.resolve(msg);
      this.resumeWaiter = null;
    }
    this.emit('resumed', {
      frame: msg, migrated: msg.type === 'resume_migrated', role: p.role, reason: p.reason,
      replayed: p.replayed, gap: p.gap, gameStateVersion: p.gameStateVersion, position: p.position,
      iceServers: this.iceServers,
    });
    this.continueRetries();
  }

  /**
   * Any other error answering a resume (e.g. cluster_unavailable while Redis is away) keeps the session: the
   * resume is sent again after a backoff, on this socket if it is still open, else by the reconnect.
   */
  onResumeDeferred(msg, error) {
    const attempt = this.resumeRetryAttempt;
    if (attempt >= this.maxReconnectAttempts) {
      this.emit('reconnect_failed', { attempts: attempt, code: error.code, reason: 'resume_retries' });
      if (this.resumeWaiter) {
        this.resumeWaiter.reject(error);
        this.resumeWaiter = null;
      }
      this.close();
      return;
    }
    this.resumeRetryAttempt += 1;
    const delayMs = backoffDelayMs(attempt, this.reconnectBaseMs, this.reconnectCapMs, this.randomFn);
    this.emit('resume_retry', { code: error.code, attempt, delayMs, frame: msg });
    this.cancelResumeRetry();
    this.resumeRetryTimer = this.setTimeoutFn(() => {
      this.resumeRetryTimer = null;
      if (this.connected && !this.sessionActive && this.session) {
        this.sendResume();
      }
    }, delayMs);
  }

  onResumeFailed(msg, error) {
    const previous = this.session;
    this.resumeWanted = false;
    this.endSession();
    this.emit('resume_failed', { frame: msg, roomId: previous ? previous.roomId : null });
    const lost = new SwitchboardError('session_lost', 'the session could not be resumed', msg);
    for (const entry of [...this.pending.values()]) {
      if (!SOCKET_SCOPED.has(entry.type)) {
        this.pending.delete(entry.msgId);
        this.clearEntryTimer(entry);
        entry.reject(lost);
      }
    }
    if (this.resumeWaiter) {
      this.resumeWaiter.reject(error);
      this.resumeWaiter = null;
    }
    if (this.rejoinOnResumeFailed && previous && previous.roomId) {
      this.joinIntent = { roomId: previous.roomId, role: previous.requestedRole || previous.role || 'viewer' };
      this.sendJoin();
    }
  }
}
