// Keyed counting semaphores for concurrency limits. A request may need several buckets at
// once (a global cap, the function's limit, a per-key limit); it takes all of them or none,
// so two requests can never deadlock holding half each.

export interface Bucket {
  key: string;
  limit: number;
}

interface Waiter {
  buckets: Bucket[];
  grant: () => void;
}

export class Limiter {
  private readonly inUse = new Map<string, number>();
  private waiters: Waiter[] = [];

  /** Resolves with a release function once every bucket has room; `signal` abandons the wait. */
  acquire(buckets: Bucket[], signal?: AbortSignal): Promise<() => void> {
    const release = once(() => this.release(buckets));
    if (this.waiters.length === 0 && this.fits(buckets)) {
      this.take(buckets);
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { buckets, grant: () => resolve(release) };
      this.waiters.push(waiter);
      signal?.addEventListener(
        "abort",
        () => {
          const index = this.waiters.indexOf(waiter);
          if (index === -1) return;
          this.waiters.splice(index, 1);
          reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        },
        { once: true },
      );
      this.pump();
    });
  }

  get waiting(): number {
    return this.waiters.length;
  }

  private fits(buckets: Bucket[]): boolean {
    return buckets.every((b) => (this.inUse.get(b.key) ?? 0) < b.limit);
  }

  private take(buckets: Bucket[]): void {
    for (const b of buckets) this.inUse.set(b.key, (this.inUse.get(b.key) ?? 0) + 1);
  }

  private release(buckets: Bucket[]): void {
    for (const b of buckets) {
      const n = (this.inUse.get(b.key) ?? 1) - 1;
      if (n <= 0) this.inUse.delete(b.key);
      else this.inUse.set(b.key, n);
    }
    this.pump();
  }

  /** First come, first served, but a waiter on a full bucket does not block others. */
  private pump(): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (this.fits(waiter.buckets)) {
        this.take(waiter.buckets);
        waiter.grant();
      } else {
        still.push(waiter);
      }
    }
    this.waiters = still;
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
