// Request rate limit of one origin: a token bucket (burst, then a steady rate). A page that floods
// the bridge gets BUSY replies instead of a queue of confirmation prompts.
export class RateLimit {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly burst: number,
    readonly perMinute: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes one request of `key`; false when its bucket is empty. */
  take(key: string): boolean {
    const now = this.clock();
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
