// Public entry: the signing inbox (kyso inbox) — the one-stop server's signing chain for a
// certificate holder: list, sign with one login, issue with the reserved number, decline, deliver.
export * from './inbox/index.js';
