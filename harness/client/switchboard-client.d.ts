// Types of @switchboard/client (switchboard-client.js): every message of protocol version 1 (PROTOCOL.md
// section 3), every event of SwitchboardClient and every option.

/** A room member's role. */
export type Role = 'host' | 'viewer' | 'guest';

/** Error codes of `error` and `game_error` (PROTOCOL.md section 3). */
export type ServerErrorCode =
  | 'payload_too_large' | 'invalid_message' | 'unknown_type' | 'rate_limited' | 'not_in_room'
  | 'already_joined' | 'host_taken' | 'forbidden' | 'peer_not_found' | 'queue_full' | 'already_queued'
  | 'guest_active' | 'resume_failed' | 'unauthorized' | 'cluster_unavailable';

/** Codes of errors the client raises itself. */
export type LocalErrorCode =
  | 'closed' | 'connect_failed' | 'connect_timeout' | 'token_failed' | 'retry_exhausted' | 'reconnect_failed'
  | 'session_lost' | 'superseded' | 'not_in_room' | 'not_connected' | 'bad_frame';

/** An application object (game_event payload, game_state patch): JSON, depth at most 16. */
export type AppObject = { [key: string]: unknown };

/** An ICE server for RTCPeerConnection (the shape of the DOM's RTCIceServer). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** A game state: its version and merged state. */
export interface GameState {
  version: number;
  state: AppObject;
}

/** One ICE candidate (RTCIceCandidateInit-like). */
export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

// ---------------------------------------------------------------- client to server

/** Fields of every client envelope. */
export interface ClientEnvelope<T extends string, P> {
  type: T;
  msgId: string;
  roomId: string;
  seq: number;
  ts?: number;
  to?: string;
  payload: P;
}

export type JoinMessage = ClientEnvelope<'join', { role: 'host' | 'viewer' }>;
export type LeaveMessage = ClientEnvelope<'leave', Record<string, never>>;
export type ResumeMessage = ClientEnvelope<'resume', { sessionToken: string; lastDseq: number; lastRseq: number }>;
export type WebrtcOfferMessage = ClientEnvelope<'webrtc_offer', { sdp: string }> & { to: string };
export type WebrtcAnswerMessage = ClientEnvelope<'webrtc_answer', { sdp: string }> & { to: string };
export type IceCandidateMessage = ClientEnvelope<'ice_candidate', IceCandidateInit> & { to: string };
export type GameEventMessage = ClientEnvelope<'game_event', AppObject>;
export type GameStateMessage = ClientEnvelope<'game_state', { version: number; patch: AppObject }>;
export type CohostRequestMessage = ClientEnvelope<'cohost_request', Record<string, never>>;
export type CohostCancelMessage = ClientEnvelope<'cohost_cancel', Record<string, never>>;
export type CohostAcceptMessage = ClientEnvelope<'cohost_accept', { userId?: string }>;
export type CohostEndMessage = ClientEnvelope<'cohost_end', Record<string, never>>;
export interface PingMessage {
  type: 'ping';
  ts: number;
}

/** Every message a client sends. */
export type ClientMessage =
  | JoinMessage | LeaveMessage | ResumeMessage | WebrtcOfferMessage | WebrtcAnswerMessage | IceCandidateMessage
  | GameEventMessage | GameStateMessage | CohostRequestMessage | CohostCancelMessage | CohostAcceptMessage
  | CohostEndMessage | PingMessage;

/** Client types that are acknowledged, deduplicated and retried. */
export type CriticalType =
  | 'join' | 'leave' | 'resume' | 'webrtc_offer' | 'webrtc_answer' | 'game_event'
  | 'cohost_request' | 'cohost_cancel' | 'cohost_accept' | 'cohost_end';

/** Client types `send()` takes (join and resume have their own methods). */
export type SendType = Exclude<ClientMessage['type'], 'join' | 'resume'>;

/** The payload of each client type. */
export interface ClientPayloads {
  leave: Record<string, never>;
  webrtc_offer: { sdp: string };
  webrtc_answer: { sdp: string };
  ice_candidate: IceCandidateInit;
  game_event: AppObject;
  game_state: { version: number; patch: AppObject };
  cohost_request: Record<string, never>;
  cohost_cancel: Record<string, never>;
  cohost_accept: { userId?: string };
  cohost_end: Record<string, never>;
  ping: Record<string, never>;
}

// ---------------------------------------------------------------- server to client

/** Fields of every server message. */
export interface ServerEnvelope<T extends string, P> {
  type: T;
  roomId?: string;
  ts?: number;
  msgId?: string;
  seq?: number;
  senderId?: string;
  for?: string;
  /** Per-session sequence of directed critical messages, contiguous from 1. */
  dseq?: number;
  /** Per-room sequence of broadcasts, contiguous. */
  rseq?: number;
  payload: P;
}

/** Fields shared by `resume_ok` and `resume_migrated` (PROTOCOL.md section 6). */
export interface ResumedPayload {
  userId: string;
  role: Role;
  /** 1-based position in the co-host queue, null when not queued. */
  position: number | null;
  gameStateVersion: number;
  replayed: number;
  /** True when some missed frames had already left the replay window. */
  gap: boolean;
  reason?: string;
  /** ICE servers for RTCPeerConnection when the server is configured with them. */
  iceServers?: IceServer[];
}

export interface JoinedPayload {
  userId: string;
  role: Role;
  sessionToken: string;
  hostId: string | null;
  activeGuest: string | null;
  queue: string[];
  roomSize: number;
  gameState: GameState;
  /** ICE servers for RTCPeerConnection when the server is configured with them. */
  iceServers?: IceServer[];
}

export type AckFrame = ServerEnvelope<'ack', Record<string, never>> & { for: string };
export type ErrorFrame = ServerEnvelope<'error', { code: ServerErrorCode | LocalErrorCode; message?: string }> & {
  /** Set on errors the client raised itself. */
  local?: boolean;
};
export type GameErrorFrame = ServerEnvelope<'game_error', { code: 'rate_limited' | string; message?: string }>;
export type JoinedFrame = ServerEnvelope<'joined', JoinedPayload>;
export type ResumeOkFrame = ServerEnvelope<'resume_ok', ResumedPayload>;
export type ResumeMigratedFrame = ServerEnvelope<'resume_migrated', ResumedPayload>;
export type RoleChangedFrame = ServerEnvelope<'role_changed', {
  role: Role;
  reason: 'accepted' | 'ended' | 'host_left' | string;
}>;
export type CohostQueueUpdatedFrame = ServerEnvelope<'cohost_queue_updated', {
  activeGuest: string | null;
  queue: string[];
  queueLength: number;
}>;
export type RoomClosedFrame = ServerEnvelope<'room_closed', { reason: 'host_timeout' | string }>;
export type FlowControlFrame = ServerEnvelope<'flow_control', { mode: 'drop_non_critical' | 'normal'; dropped: number }>;
export type RelayedOfferFrame = ServerEnvelope<'webrtc_offer', { sdp: string }>;
export type RelayedAnswerFrame = ServerEnvelope<'webrtc_answer', { sdp: string }>;
export type RelayedGameEventFrame = ServerEnvelope<'game_event', AppObject>;
export type IceCandidatesFrame = ServerEnvelope<'ice_candidate', { candidates: IceCandidateInit[] }>;
export type GameStatePatchFrame = ServerEnvelope<'game_state',
  { version: number; patch: AppObject; snapshot?: false } | { version: number; state: AppObject; snapshot: true }>;
export type PresenceFrame = ServerEnvelope<'presence', { joined?: string[]; left?: string[]; roomSize: number }>;
export type PongFrame = ServerEnvelope<'pong', { ts: number }>;

/** Every message the server sends, by type. */
export interface ServerMessages {
  ack: AckFrame;
  error: ErrorFrame;
  game_error: GameErrorFrame;
  joined: JoinedFrame;
  resume_ok: ResumeOkFrame;
  resume_migrated: ResumeMigratedFrame;
  role_changed: RoleChangedFrame;
  cohost_queue_updated: CohostQueueUpdatedFrame;
  room_closed: RoomClosedFrame;
  flow_control: FlowControlFrame;
  webrtc_offer: RelayedOfferFrame;
  webrtc_answer: RelayedAnswerFrame;
  game_event: RelayedGameEventFrame;
  ice_candidate: IceCandidatesFrame;
  game_state: GameStatePatchFrame;
  presence: PresenceFrame;
  pong: PongFrame;
}

/** Every message the server sends. */
export type ServerMessage = ServerMessages[keyof ServerMessages];

// ---------------------------------------------------------------- client events

export type ClientState = 'idle' | 'connecting' | 'open' | 'joined' | 'reconnecting' | 'closed';

/** The events the client raises itself, with their values. */
export interface ClientEvents {
  open: { url: string };
  message: ServerMessage;
  sent: { frame: ClientMessage | null; text: string; resend: boolean; raw: boolean };
  retry_exhausted: { msgId: string; type: CriticalType; resends: number; frame: ClientMessage };
  reconnecting: { attempt: number; delayMs: number; code: number; reason: string };
  resumed: {
    frame: ResumeOkFrame | ResumeMigratedFrame;
    migrated: boolean;
    role: Role;
    reason?: string;
    replayed: number;
    gap: boolean;
    gameStateVersion: number;
    position: number | null;
    iceServers?: IceServer[];
  };
  resume_failed: { frame: ErrorFrame; roomId: string | null };
  /** An error other than resume_failed answered a resume: the session is kept and the resume retried. */
  resume_retry: { code: string; attempt: number; delayMs: number; frame: ErrorFrame };
  /** A live frame skipped a sequence number; the client resumes from `lastContiguous`. */
  gap: { sequence: 'dseq' | 'rseq'; lastContiguous: number; received: number; frame: ServerMessage };
  /** `maxReconnectAttempts` consecutive attempts failed; the client is closed. */
  reconnect_failed: { attempts: number; code: number | string; reason: string };
  closed: { code: number; reason: string; willReconnect: boolean };
  state: ClientState;
  duplicate: ServerMessage;
}

/** Every event name with its value: server types and client events (`error` is both). */
export type EventMap = Omit<ServerMessages, 'error'> & Omit<ClientEvents, 'message'> & {
  error: ErrorFrame;
  message: ServerMessage;
};

// ---------------------------------------------------------------- options and client

/** The part of the WebSocket API the client uses (the browser's, Node 22+'s and `ws`'s sockets all have it). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the connection at once. */
  terminate?(): void;
}

/** Any WebSocket class taking a URL: the DOM's, Node 22+'s (undici) or `ws`'s; it is used through the WebSocketLike API. */
export type WebSocketConstructor = new (url: string) => object;

/** A Storage-like object for the session (sessionStorage by default). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SwitchboardClientOptions {
  /** The WebSocket constructor (default globalThis.WebSocket; pass the `ws` package's on Node before 22). */
  WebSocket?: WebSocketConstructor;
  /** The former name of `WebSocket`. */
  WebSocketImpl?: WebSocketConstructor;
  /** A token sent as `?authToken=` (a JWT when the server requires one). */
  authToken?: string | null;
  /** Called before every socket opens (first connect and each reconnect) for a fresh token. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** A socket not open within this many ms is dropped and retried like a failed connection (10000; 0 = none). */
  connectTimeoutMs?: number;
  /** Consecutive failed reconnects (or retried resumes) before the client gives up (Infinity). */
  maxReconnectAttempts?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  now?: () => number;
  random?: () => number;
  randomUUID?: () => string;
  storage?: StorageLike;
  storageKey?: string;
  /** Waits before each resend of an unanswered critical message ([1000, 2000, 4000]). */
  retryDelaysMs?: readonly number[];
  /** Wait for the answer after the last resend (4000). */
  finalAckTimeoutMs?: number;
  /** Reconnect backoff base (500) and cap (10000), full jitter. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  /** Reconnect and resume after a close of class 4000-4399 or an abnormal close (true). */
  autoReconnect?: boolean;
  /** Join the room again when a resume answers resume_failed (true). */
  rejoinOnResumeFailed?: boolean;
}

export interface SendOptions {
  to?: string;
  msgId?: string;
  roomId?: string;
}

/** An error the client surfaces: a server `error`/`game_error` reply or a local failure. */
export class SwitchboardError extends Error {
  constructor(code: string, message?: string, frame?: ServerMessage | null, msgId?: string | null);
  readonly code: ServerErrorCode | LocalErrorCode | string;
  readonly frame: ServerMessage | null;
  readonly msgId: string | null;
}

/** A Storage-like object kept in memory. */
export class MemoryStorage implements StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** One Switchboard session over a WebSocket, with acks, retries, reconnect and resume. */
export class SwitchboardClient {
  constructor(url: string, options?: SwitchboardClientOptions);

  readonly url: string;
  readonly state: ClientState;
  readonly userId: string | null;
  readonly role: Role | null;
  readonly roomId: string | null;
  readonly sessionToken: string | null;
  readonly connected: boolean;
  readonly socket: WebSocketLike | null;
  readonly pendingCount: number;
  readonly lastDseq: number;
  readonly lastRseq: number;
  readonly duplicatesDropped: number;
  authToken: string | null;

  on<E extends keyof EventMap>(event: E, fn: (value: EventMap[E]) => void): () => void;
  off<E extends keyof EventMap>(event: E, fn: (value: EventMap[E]) => void): void;
  once<E extends keyof EventMap>(event: E, predicate?: (value: EventMap[E]) => boolean): Promise<EventMap[E]>;

  connect(): Promise<void>;
  close(): void;
  dropConnection(): void;
  join(roomId: string, role?: 'host' | 'viewer'): Promise<JoinedFrame>;
  leave(): Promise<AckFrame>;
  resume(position?: { lastDseq?: number; lastRseq?: number } | null): Promise<ResumeOkFrame | ResumeMigratedFrame>;

  send<T extends SendType>(type: T, payload?: ClientPayloads[T], options?: SendOptions):
    Promise<T extends CriticalType ? AckFrame : T extends 'ping' ? PongFrame : ClientMessage>;
  sendRaw(frame: object | string): boolean;
  ping(): Promise<PongFrame>;
  sendOffer(to: string, sdp: string): Promise<AckFrame>;
  sendAnswer(to: string, sdp: string): Promise<AckFrame>;
  sendIceCandidate(to: string, candidate: IceCandidateInit | string): Promise<ClientMessage>;
  sendGameEvent(payload: AppObject): Promise<AckFrame>;
  sendGameState(version: number, patch: AppObject): Promise<ClientMessage>;
  requestCohost(): Promise<AckFrame>;
  cancelCohost(): Promise<AckFrame>;
  acceptCohost(userId?: string): Promise<AckFrame>;
  endCohost(): Promise<AckFrame>;
}

export const CRITICAL_TYPES: readonly CriticalType[];
export const SERVER_TYPES: readonly (keyof ServerMessages)[];
export const CLIENT_EVENTS: readonly (keyof ClientEvents)[];
export const DEFAULT_RETRY_DELAYS_MS: readonly number[];

/** Reconnect delay with exponential backoff and full jitter: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelayMs(attempt: number, baseMs?: number, capMs?: number, random?: () => number): number;
/** What a close code asks of the client: reconnect (then resume) or stop. */
export function closeCodeAction(code: number): 'reconnect' | 'stop';
/** The retry_after_ms=N of a 4000 server_draining close reason, or null. */
export function retryAfterMs(reason: string | null | undefined): number | null;
/** A canonical UUID v4. */
export function randomUuid(): string;
