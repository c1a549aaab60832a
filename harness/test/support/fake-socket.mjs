// An in-memory WebSocket with the browser API, driven by the test as the server would be.

/** A browser-like WebSocket whose server side the test plays; every instance is recorded. */
export class FakeSocket {
  static instances = [];

  static reset() {
    FakeSocket.instances = [];
  }

  static last() {
    return FakeSocket.instances[FakeSocket.instances.length - 1];
  }

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    FakeSocket.instances.push(this);
  }

  send(text) {
    if (this.readyState !== 1) {
      throw new Error('send on a socket that is not open');
    }
    this.sent.push(JSON.parse(text));
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= 2) {
      return;
    }
    this.serverClose(code, reason);
  }

  /** The server accepts the socket. */
  serverOpen() {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sends one message. */
  serverSend(message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The connection ends with this code. */
  serverClose(code, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** Messages this socket carried of one type. */
  sentOfType(type) {
    return this.sent.filter((m) => m.type === type);
  }
}
