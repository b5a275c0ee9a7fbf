// "Gửi vào hồ sơ…" on the signing screen's result step: the dossier code being typed and how the
// sending went. Part of the signing screen's reducer (sign-state.ts), reset with each signature.
import type { ContractError, OutboxItemView } from '../../../shared/contract/index.js';

export interface DossierSendState {
  readonly open: boolean;
  readonly code: string;
  readonly phase: 'editing' | 'queueing' | 'sending' | 'finished';
  /** The document as the outbox last reported it (delivered, failed, or waiting for a retry). */
  readonly item: OutboxItemView | null;
  readonly error: ContractError | null;
}

export const initialDossierSend: DossierSendState = {
  open: false,
  code: '',
  phase: 'editing',
  item: null,
  error: null,
};

export type DossierSendAction =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'code'; code: string }
  | { type: 'queueing' }
  | { type: 'sending'; item: OutboxItemView }
  | { type: 'finished'; item: OutboxItemView }
  | { type: 'failed'; error: ContractError };

export function dossierSendReducer(state: DossierSendState, action: DossierSendAction): DossierSendState {
  switch (action.type) {
    case 'open':
      return { ...state, open: true };
    case 'close':
      return state.phase === 'queueing' || state.phase === 'sending' ? state : { ...initialDossierSend };
    case 'code':
      return { ...state, code: action.code, error: null };
    case 'queueing':
      return { ...state, phase: 'queueing', item: null, error: null };
    case 'sending':
      return { ...state, phase: 'sending', item: action.item };
    case 'finished':
      return { ...state, phase: 'finished', item: action.item };
    case 'failed':
      return { ...state, phase: 'editing', error: action.error };
  }
}
