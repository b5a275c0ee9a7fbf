// AbortSignal → KysoError('CANCELLED'), the one way the engine reports a user's cancellation.
import { KysoError } from '../../shared/errors.js';

export function cancelledError(): KysoError {
  return new KysoError('CANCELLED', 'cancelled');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw cancelledError();
}
