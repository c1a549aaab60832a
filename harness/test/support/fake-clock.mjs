// A fake clock for the client's injectable timer functions: time moves only when a test calls advance().

/** Fake setTimeout/clearTimeout/now; advance(ms) runs due timers in time order. */
export class FakeClock {
  constructor(startMs = 1764160000000) {
    this.nowMs = startMs;
    this.timers = new Map();
    this.nextId = 1;
    this.setTimeout = (fn, ms) => {
      const id = this.nextId++;
      this.timers.set(id, { id, dueMs: this.nowMs + Math.max(0, ms || 0), fn });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
    this.now = () => this.nowMs;
  }

  /** The options to pass to SwitchboardClient. */
  options() {
    return { setTimeout: this.setTimeout, clearTimeout: this.clearTimeout, now: this.now };
  }

  /** Milliseconds until the next timer, or null. */
  nextDueInMs() {
    let next = null;
    for (const t of this.timers.values()) {
      if (next === null || t.dueMs < next) {
        next = t.dueMs;
      }
    }
    return next === null ? null : next - this.nowMs;
  }

  /** Move time forward by ms, running each timer that falls due, earliest first. */
  advance(ms) {
    const targetMs = this.nowMs + ms;
    for (;;) {
      let next = null;
      for (const t of this.timers.values()) {
        if (t.dueMs <= targetMs && (next === null || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.id < next.id))) {
          next = t;
        }
      }
      if (next === null) {
        break;
      }
      this.timers.delete(next.id);
      this.nowMs = next.dueMs;
      next.fn();
    }
    this.nowMs = targetMs;
  }
}
