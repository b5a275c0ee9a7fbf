// The state of "Văn bản chờ ký", in one place: the certificate, whether the inbox is open (a session
// with the server, opened with the PIN), its list, what is ticked for signing, the previewed request
// (and, at the clerk's step, the number and date the server keeps for it), a signing run's progress
// and results, the decline being written.
import type {
  ContractError,
  InboxListView,
  InboxOutcomeView,
  InboxSignProgress,
  PinStateName,
  TokenModuleView,
} from '../../../shared/contract/index.js';
import { withCertificateChoices, type CertificateChoice } from '../sign/sign-state.js';

export type InboxPhase = 'closed' | 'pin-open' | 'opening' | 'open' | 'pin-sign' | 'signing';

export interface InboxState {
  readonly choices: readonly CertificateChoice[] | null;
  readonly choicesError: ContractError | null;
  readonly certificateKey: string | null;
  readonly phase: InboxPhase;
  readonly list: InboxListView | null;
  readonly checked: readonly string[];
  readonly previewId: string | null;
  readonly reservation: { readonly id: string; readonly number: string; readonly issuedDate: string } | null;
  readonly progress: InboxSignProgress | null;
  readonly outcomes: readonly InboxOutcomeView[] | null;
  readonly declining: string | null;
  readonly pinError: ContractError | null;
  readonly pinState: PinStateName | null;
  readonly error: ContractError | null;
  readonly notice: string | null;
}

export const initialInboxState: InboxState = {
  choices: null,
  choicesError: null,
  certificateKey: null,
  phase: 'closed',
  list: null,
  checked: [],
  previewId: null,
  reservation: null,
  progress: null,
  outcomes: null,
  declining: null,
  pinError: null,
  pinState: null,
  error: null,
  notice: null,
};

export type InboxAction =
  | { type: 'tokens'; modules: readonly TokenModuleView[] }
  | { type: 'tokensFailed'; error: ContractError }
  | { type: 'certificate'; key: string }
  | { type: 'askPin'; for: 'open' | 'sign' }
  | { type: 'cancelPin' }
  | { type: 'pinFailed'; error: ContractError; pinState: PinStateName | null }
  | { type: 'opening' }
  | { type: 'listed'; list: InboxListView }
  | { type: 'loginNeeded'; error: ContractError }
  | { type: 'check'; id: string; on: boolean }
  | { type: 'checkAll'; on: boolean }
  | { type: 'preview'; id: string | null }
  | { type: 'reserved'; id: string; number: string; issuedDate: string }
  | { type: 'signing' }
  | { type: 'progress'; progress: InboxSignProgress }
  | { type: 'signed'; outcomes: readonly InboxOutcomeView[]; list: InboxListView }
  | { type: 'decline'; id: string | null }
  | { type: 'declined'; list: InboxListView; notice: string }
  | { type: 'error'; error: ContractError | null };

/** Ticks and preview that still name a request of the new list. */
function withList(state: InboxState, list: InboxListView): InboxState {
  const ids = new Set(list.items.map((i) => i.id));
  return {
    ...state,
    list,
    checked: state.checked.filter((id) => ids.has(id)),
    previewId: state.previewId !== null && ids.has(state.previewId) ? state.previewId : null,
  };
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'tokens':
      return withCertificateChoices(state, action.modules);
    case 'tokensFailed':
      return { ...state, choices: [], choicesError: action.error };
    case 'certificate':
      // Another certificate is another inbox: closed until its PIN opens it.
      return { ...initialInboxState, choices: state.choices, certificateKey: action.key };
    case 'askPin':
      return {
        ...state,
        phase: action.for === 'open' ? 'pin-open' : 'pin-sign',
        pinError: null,
        error: null,
      };
    case 'cancelPin':
      return { ...state, phase: state.list ? 'open' : 'closed', pinError: null };
    case 'pinFailed':
      return {
        ...state,
        phase: state.phase === 'signing' || state.phase === 'pin-sign' ? 'pin-sign' : 'pin-open',
        pinError: action.error,
        pinState: action.pinState ?? state.pinState,
      };
    case 'opening':
      return { ...state, phase: 'opening' };
    case 'listed':
      return { ...withList(state, action.list), phase: 'open', error: null };
    case 'loginNeeded':
      return { ...state, phase: 'closed', error: action.error };
    case 'check':
      return {
        ...state,
        checked: action.on
          ? [...state.checked.filter((id) => id !== action.id), action.id]
          : state.checked.filter((id) => id !== action.id),
      };
    case 'checkAll':
      return { ...state, checked: action.on ? (state.list?.items.map((i) => i.id) ?? []) : [] };
    case 'preview':
      return { ...state, previewId: action.id };
    case 'reserved':
      return {
        ...state,
        reservation: { id: action.id, number: action.number, issuedDate: action.issuedDate },
      };
    case 'signing':
      return { ...state, phase: 'signing', progress: null, outcomes: null, error: null, notice: null };
    case 'progress':
      return { ...state, progress: action.progress };
    case 'signed':
      return { ...withList(state, action.list), phase: 'open', progress: null, outcomes: action.outcomes };
    case 'decline':
      return { ...state, declining: action.id, error: null };
    case 'declined':
      return { ...withList(state, action.list), declining: null, notice: action.notice };
    case 'error':
      return {
        ...state,
        error: action.error,
        phase:
          state.phase === 'signing' || state.phase === 'opening'
            ? state.list
              ? 'open'
              : 'closed'
            : state.phase,
      };
  }
}

export function selectedInboxChoice(state: InboxState): CertificateChoice | null {
  return state.choices?.find((c) => c.key === state.certificateKey) ?? null;
}
