// The shape every service handler has: the parsed request in, the value out; failures are thrown as
// KysoError (the dispatcher turns them into the error envelope). No Electron here: the same handlers
// run in Node tests, in the engine process and behind the web host.
import type {
  Channel,
  Language,
  ParsedRequestOf,
  ProgressOf,
  ResultOf,
} from '../../shared/contract/index.js';

export interface ServiceContext<C extends Channel = Channel> {
  /** Aborted when the renderer cancels the call (or the window that asked goes away). */
  readonly signal: AbortSignal;
  readonly progress: (progress: ProgressOf<C>) => void;
  /** The app's language: errors and report sentences use it. */
  readonly language: Language;
}

export type Handler<C extends Channel> = (
  request: ParsedRequestOf<C>,
  ctx: ServiceContext<C>,
) => Promise<ResultOf<C>>;

/** Handlers for some of the channels (the host's, or the engine process's). */
export type Handlers<C extends Channel = Channel> = { readonly [K in C]: Handler<K> };
