// Switchable faults of the reference server, drawn for each upload request with the configured
// probabilities: an HTTP 500, a timeout (the request is read and never answered), a dropped
// connection (cut while the body arrives), a duplicate delivery (the file is stored but the answer is
// lost, so the client must retry and be told 409), and a slow answer. The first four exclude each
// other (their rates add up to at most 1), so each drawn fault is the one that happens; a slow
// answer can come with any of them. Rates are taken in whole percents.
export const FAULT_KINDS = ['error500', 'timeout', 'drop', 'slow', 'duplicate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
const EXCLUSIVE = ['error500', 'timeout', 'drop', 'duplicate'] as const;

function checkSum(rates: Readonly<Record<FaultKind, number>>): void {
  const sum = EXCLUSIVE.reduce((total, kind) => total + rates[kind], 0);
  if (sum > 1 + 1e-9) throw new Error('error500 + timeout + drop + duplicate must add up to at most 1');
}

export interface FaultSettings {
  readonly rates: Readonly<Record<FaultKind, number>>;
  /** How long a slow answer waits. */
  readonly slowMs: number;
}

export const NO_FAULTS: FaultSettings = {
  rates: { error500: 0, timeout: 0, drop: 0, slow: 0, duplicate: 0 },
  slowMs: 200,
};

/** A small seeded generator (mulberry32), so a failing run's faults can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses `500=0.2,timeout=0.2,drop=0.2,slow=0.2,duplicate=0.2,slowMs=150` (the dev server's --faults). */
export function parseFaults(text: string): FaultSettings {
  const rates: Record<FaultKind, number> = { ...NO_FAULTS.rates };
  let slowMs = NO_FAULTS.slowMs;
  const alias: Record<string, FaultKind> = {
    '500': 'error500',
    error500: 'error500',
    timeout: 'timeout',
    drop: 'drop',
    slow: 'slow',
    duplicate: 'duplicate',
  };
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key = '', value = ''] = item.split('=');
    const n = Number(value);
    if (key === 'slowMs' && Number.isInteger(n) && n >= 0) {
      slowMs = n;
      continue;
    }
    const kind = alias[key];
    if (kind === undefined || !(n >= 0 && n <= 1)) throw new Error(`bad fault "${item}"`);
    rates[kind] = n;
  }
  checkSum(rates);
  return { rates, slowMs };
}

export function checkFaults(value: unknown): FaultSettings {
  const o = (value ?? {}) as { rates?: Record<string, unknown>; slowMs?: unknown };
  const rates: Record<FaultKind, number> = { ...NO_FAULTS.rates };
  for (const kind of FAULT_KINDS) {
    const r = o.rates?.[kind];
    if (r === undefined) continue;
    if (typeof r !== 'number' || !(r >= 0 && r <= 1)) throw new Error(`rates.${kind} must be 0..1`);
    rates[kind] = r;
  }
  const slowMs = o.slowMs === undefined ? NO_FAULTS.slowMs : o.slowMs;
  if (typeof slowMs !== 'number' || !Number.isInteger(slowMs) || slowMs < 0)
    throw new Error('slowMs must be an integer');
  checkSum(rates);
  return { rates, slowMs };
}

/**
 * Draws faults from shuffled decks of 100 requests rather than independent coin tosses: each block
 * of 100 requests has exactly round(rate × 100) of each fault, in a random order. A test then knows
 * every kind really hit its share of requests, whatever the seed.
 */
export class FaultPlan {
  #settings: FaultSettings;
  readonly counts: Record<FaultKind, number> = { error500: 0, timeout: 0, drop: 0, slow: 0, duplicate: 0 };
  requests = 0;
  readonly #random: () => number;
  #exclusiveDeck: (FaultKind | undefined)[] = [];
  #slowDeck: boolean[] = [];

  constructor(settings: FaultSettings = NO_FAULTS, seed = Date.now()) {
    this.#settings = settings;
    this.#random = seededRandom(seed);
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** New rates apply from the next request on (a fresh deck). */
  set settings(settings: FaultSettings) {
    this.#settings = settings;
    this.#exclusiveDeck = [];
    this.#slowDeck = [];
  }

  #shuffle<T>(cards: T[]): T[] {
    for (let i = cards.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [cards[i], cards[j]] = [cards[j] as T, cards[i] as T];
    }
    return cards;
  }

  /** The faults of the next request, counted: at most one of the exclusive four, and maybe slow. */
  draw(): ReadonlySet<FaultKind> {
    this.requests++;
    if (this.#exclusiveDeck.length === 0) {
      const cards: (FaultKind | undefined)[] = [];
      for (const kind of EXCLUSIVE) {
        for (let i = 0; i < Math.round(this.#settings.rates[kind] * 100); i++) cards.push(kind);
      }
      while (cards.length < 100) cards.push(undefined);
      this.#exclusiveDeck = this.#shuffle(cards.slice(0, 100));
    }
    if (this.#slowDeck.length === 0) {
      const slow = Math.round(this.#settings.rates.slow * 100);
      this.#slowDeck = this.#shuffle(Array.from({ length: 100 }, (_, i) => i < slow));
    }
    const drawn = new Set<FaultKind>();
    const exclusive = this.#exclusiveDeck.pop();
    if (exclusive !== undefined) drawn.add(exclusive);
    if (this.#slowDeck.pop() === true) drawn.add('slow');
    for (const kind of drawn) this.counts[kind]++;
    return drawn;
  }
}
