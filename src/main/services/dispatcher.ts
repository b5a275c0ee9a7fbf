// One request through one boundary: the channel must be known, the request must parse with the
// contract's schema, the handler's outcome becomes the result envelope. Used wherever a request
// enters (Electron IPC, the web host's WebSocket, the engine process).
import {
  REQUESTS,
  errorResult,
  isChannel,
  okResult,
  type Channel,
  type Result,
} from '../../shared/contract/index.js';
import { KysoError } from '../../shared/errors.js';
import { contractError, toContractError } from './error-envelope.js';
import type { Handler, Handlers, ServiceContext } from './service-types.js';

/** Why a request did not parse, for the message: where and what, never the value (it may be a PIN). */
function invalidReason(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Parses the request of `channel`, or throws CONTRACT_INVALID_REQUEST. */
export function parseRequest(channel: unknown, request: unknown): { channel: Channel; request: unknown } {
  if (!isChannel(channel)) {
    throw new KysoError('CONTRACT_INVALID_REQUEST', 'unknown channel', {
      details: { channel: String(channel).slice(0, 100), reason: 'unknown channel' },
    });
  }
  const parsed = REQUESTS[channel].request.safeParse(request);
  if (!parsed.success) {
    const reason = invalidReason(parsed.error.issues);
    throw new KysoError('CONTRACT_INVALID_REQUEST', `invalid request for ${channel}: ${reason}`, {
      details: { channel, reason },
    });
  }
  return { channel, request: parsed.data };
}

export interface DispatchOptions {
  /** Reports failures that are bugs (INTERNAL) for the log: never the request, never a secret. */
  readonly onInternalError?: (channel: string, err: unknown) => void;
}

export async function dispatch(
  handlers: Partial<Handlers>,
  channel: unknown,
  request: unknown,
  ctx: ServiceContext,
  options: DispatchOptions = {},
): Promise<Result<unknown>> {
  try {
    const parsed = parseRequest(channel, request);
    const handler = handlers[parsed.channel] as Handler<Channel> | undefined;
    if (!handler) {
      throw new KysoError('CONTRACT_INVALID_REQUEST', `no handler for ${parsed.channel}`, {
        details: { channel: parsed.channel, reason: 'not served here' },
      });
    }
    if (ctx.signal.aborted) throw new KysoError('CANCELLED', 'cancelled before it started');
    return okResult(await handler(parsed.request as never, ctx as ServiceContext<Channel>));
  } catch (err) {
    // An abort that surfaced as something else (a closed stream, an AbortError) is still a cancel.
    if (ctx.signal.aborted && !(err instanceof KysoError && err.code !== 'INTERNAL'))
      return errorResult(contractError('CANCELLED', {}, ctx.language));
    if (!(err instanceof KysoError) || err.code === 'INTERNAL')
      options.onInternalError?.(String(channel), err);
    return errorResult(toContractError(err, ctx.language));
  }
}
