// A counting semaphore: at most `size` tasks run at once, the rest wait in FIFO order.
// Bounds the API calls in flight (and verify --all's HTTPS probes) without batching.
export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most tasks that ever ran at once (for tests and the benchmark). */
  peak = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots must be a positive integer, not ${size}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so no newcomer can slip in between.
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
