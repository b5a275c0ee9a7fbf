// When to try again: exponential backoff with jitter ("equal jitter": between half and all of the
// doubled delay), so that many offices coming back after an outage do not all knock at once.
export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly maxAttempts: number;
}

/** Delay before attempt `attempts + 1`, after `attempts` failed ones; `serverAskedMs` (Retry-After) is a floor. */
export function retryDelay(
  policy: RetryPolicy,
  attempts: number,
  serverAskedMs?: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.min(policy.maxMs, Math.max(jittered, serverAskedMs ?? 0)));
}
