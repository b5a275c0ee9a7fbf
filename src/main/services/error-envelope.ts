// Any failure → the contract's error: a KysoError keeps its code and details and gets its message in
// the app's language; anything else is INTERNAL, with no stack and no text of the original error
// (it could hold anything, and the user can do nothing with it).
import { isKysoError, type ErrorCode, type ErrorDetails } from '../../shared/errors.js';
import { messageFor } from '../../shared/messages.js';
import type { ContractError, Language } from '../../shared/contract/index.js';

/** The details a message may show: plain values only, never an object that could carry more. */
function plainDetails(details: ErrorDetails): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

export function contractError(code: ErrorCode, details: ErrorDetails, language: Language): ContractError {
  return { code, message: messageFor(code, details, language), details: plainDetails(details) };
}

export function toContractError(err: unknown, language: Language): ContractError {
  if (isKysoError(err)) return contractError(err.code, err.details, language);
  return contractError('INTERNAL', {}, language);
}
