// The signing screen's state, in one place: what is open, where the box is, which certificate, the
// PIN dialog, progress and the result. The PIN itself never enters this state.
import type {
  AppearanceTemplateName,
  CertificateRef,
  ContractError,
  DisplayRectValue,
  OpenedDocument,
  PinStateName,
  Placement,
  SignRunProgress,
  SignRunResult,
  TokenCertificateView,
  TokenModuleView,
  TokenView,
} from '../../../shared/contract/index.js';
import { isPinError } from '../../../shared/contract/index.js';
import {
  dossierSendReducer,
  initialDossierSend,
  type DossierSendAction,
  type DossierSendState,
} from '../outbox/dossier-send-state.js';

export interface CertificateChoice {
  /** Stable key for lists and selection. */
  readonly key: string;
  readonly ref: CertificateRef;
  readonly certificate: TokenCertificateView;
  readonly token: TokenView;
}

export type Phase = 'empty' | 'opening' | 'ready' | 'pin' | 'signing' | 'confirm-overwrite' | 'done';

export interface SignState {
  readonly phase: Phase;
  readonly doc: OpenedDocument | null;
  /** The page on screen (1-based). */
  readonly page: number;
  readonly template: AppearanceTemplateName;
  readonly placement: Placement | null;
  /** Where the engine proposed the box (null: no anchor found, a default place was used). */
  readonly suggestion: Placement | null;
  readonly certificates: readonly CertificateChoice[] | null;
  readonly certificatesError: ContractError | null;
  readonly selected: string | null;
  readonly output: string;
  readonly overwrite: boolean;
  readonly docNumber: string;
  readonly agency: string;
  /** The last PIN error, with the token's PIN state after it. */
  readonly pinError: ContractError | null;
  readonly pinState: PinStateName | null;
  readonly progress: SignRunProgress['stage'] | null;
  readonly result: SignRunResult | null;
  readonly error: ContractError | null;
  /** "Gửi vào hồ sơ…" on the result step. */
  readonly dossier: DossierSendState;
}

export const initialSignState: SignState = {
  phase: 'empty',
  doc: null,
  page: 1,
  template: 'personal',
  placement: null,
  suggestion: null,
  certificates: null,
  certificatesError: null,
  selected: null,
  output: '',
  overwrite: false,
  docNumber: '',
  agency: '',
  pinError: null,
  pinState: null,
  progress: null,
  result: null,
  error: null,
  dossier: initialDossierSend,
};

export type SignAction =
  | { type: 'opening' }
  | { type: 'opened'; doc: OpenedDocument; template?: AppearanceTemplateName }
  | { type: 'open-failed'; error: ContractError }
  | { type: 'page'; page: number }
  | { type: 'template'; template: AppearanceTemplateName }
  | { type: 'placed'; placement: Placement; suggestion: Placement | null }
  | { type: 'move-box'; rect: DisplayRectValue }
  | { type: 'box-to-page'; page: number }
  | { type: 'reset-box' }
  | { type: 'certificates'; modules: readonly TokenModuleView[] }
  | { type: 'certificates-failed'; error: ContractError }
  | { type: 'select'; key: string }
  | { type: 'output'; path: string }
  | { type: 'text'; field: 'docNumber' | 'agency'; value: string }
  | { type: 'ask-pin' }
  | { type: 'close-pin' }
  | { type: 'signing' }
  | { type: 'progress'; stage: SignRunProgress['stage'] }
  | { type: 'signed'; result: SignRunResult; doc: OpenedDocument | null }
  | { type: 'sign-next' }
  | { type: 'sign-failed'; error: ContractError }
  | { type: 'confirm-overwrite'; overwrite: boolean }
  | { type: 'error'; error: ContractError | null }
  | { type: 'reset' }
  | { type: 'dossier'; action: DossierSendAction };

/**
 * A screen's certificate choices from tokens.list: the one chosen stays chosen, and a single
 * signing certificate is chosen by itself (the signing, batch and inbox screens alike).
 */
export function withCertificateChoices<
  S extends {
    readonly choices: readonly CertificateChoice[] | null;
    readonly choicesError: ContractError | null;
    readonly certificateKey: string | null;
  },
>(state: S, modules: readonly TokenModuleView[]): S {
  const choices = choicesOf(modules);
  const key = state.certificateKey ?? (choices.length === 1 ? (choices[0]?.key ?? null) : null);
  return { ...state, choices, choicesError: null, certificateKey: key };
}

export function choicesOf(modules: readonly TokenModuleView[]): CertificateChoice[] {
  const out: CertificateChoice[] = [];
  for (const m of modules) {
    for (const slot of m.slots) {
      const token = slot.token;
      if (!token) continue;
      for (const certificate of token.certificates) {
        if (certificate.hasPrivateKey === false || certificate.isAuthority) continue;
        out.push({
          key: `${m.path}|${token.serial}|${slot.slotId}|${certificate.id}`,
          ref: { modulePath: m.path, tokenSerial: token.serial, slotId: slot.slotId, keyId: certificate.id },
          certificate,
          token,
        });
      }
    }
  }
  // Usable certificates first, then by device and holder (the same order on every reading).
  const name = (c: CertificateChoice): string => `${c.token.label}\u0000${c.certificate.subjectCN ?? ''}`;
  return out.sort((a, b) => Number(!usable(a)) - Number(!usable(b)) || name(a).localeCompare(name(b), 'vi'));
}

/** Expired, not yet valid or not for signing: shown apart, the engine would refuse them. */
export function usable(choice: CertificateChoice): boolean {
  return choice.certificate.warnings.every((w) => w === 'expiring-soon');
}

export function selectedChoice(state: SignState): CertificateChoice | null {
  return state.certificates?.find((c) => c.key === state.selected) ?? null;
}

function clampRect(rect: DisplayRectValue, page: { width: number; height: number }): DisplayRectValue {
  const width = Math.min(Math.max(rect.width, 24), page.width);
  const height = Math.min(Math.max(rect.height, 16), page.height);
  const round = (v: number): number => Math.round(v * 100) / 100;
  return {
    x: round(Math.min(Math.max(rect.x, 0), page.width - width)),
    y: round(Math.min(Math.max(rect.y, 0), page.height - height)),
    width: round(width),
    height: round(height),
  };
}

export function signReducer(state: SignState, action: SignAction): SignState {
  switch (action.type) {
    case 'opening':
      return { ...state, phase: 'opening', error: null };
    case 'opened':
      return {
        ...state,
        phase: 'ready',
        doc: action.doc,
        page: 1,
        template: action.template ?? state.template,
        placement: null,
        suggestion: null,
        output: action.doc.suggestedOutput,
        overwrite: false,
        result: null,
        error: null,
        pinError: null,
      };
    case 'open-failed':
      return { ...state, phase: state.doc ? 'ready' : 'empty', error: action.error };
    case 'page':
      return { ...state, page: action.page };
    case 'template':
      return { ...state, template: action.template };
    case 'placed':
      return {
        ...state,
        placement: action.placement,
        suggestion: action.suggestion,
        page: action.placement.page,
      };
    case 'move-box': {
      const page = state.placement && state.doc?.pages[state.placement.page - 1];
      if (!state.placement || !page) return state;
      return { ...state, placement: { page: state.placement.page, rect: clampRect(action.rect, page) } };
    }
    case 'box-to-page': {
      const page = state.doc?.pages[action.page - 1];
      if (!state.placement || !page) return state;
      return { ...state, placement: { page: action.page, rect: clampRect(state.placement.rect, page) } };
    }
    case 'reset-box':
      return state.suggestion
        ? { ...state, placement: state.suggestion, page: state.suggestion.page }
        : state;
    case 'certificates': {
      const certificates = choicesOf(action.modules);
      const keep = certificates.some((c) => c.key === state.selected);
      return {
        ...state,
        certificates,
        certificatesError: null,
        selected: keep ? state.selected : (certificates[0]?.key ?? null),
      };
    }
    case 'certificates-failed':
      return { ...state, certificates: [], certificatesError: action.error };
    case 'select':
      return { ...state, selected: action.key, pinError: null, pinState: null };
    case 'output':
      return { ...state, output: action.path, overwrite: false };
    case 'text':
      return { ...state, [action.field]: action.value };
    case 'ask-pin':
      return {
        ...state,
        phase: 'pin',
        error: null,
        pinError: null,
        pinState: selectedChoice(state)?.token.pinState ?? null,
      };
    case 'close-pin':
      return { ...state, phase: 'ready', pinError: null };
    case 'signing':
      return { ...state, phase: 'signing', progress: null, pinError: null, error: null };
    case 'progress':
      return { ...state, progress: action.stage };
    case 'signed':
      // The signed file replaces the original on screen: the user sees the signature that was written.
      return {
        ...state,
        phase: 'done',
        result: action.result,
        doc: action.doc ?? state.doc,
        progress: null,
        overwrite: false,
        dossier: initialDossierSend,
      };
    case 'sign-next':
      // The clerk's seal goes on the file just signed, already open: no need to look for it again.
      return state.doc
        ? {
            ...state,
            phase: 'ready',
            template: 'seal',
            placement: null,
            suggestion: null,
            output: state.doc.suggestedOutput,
            result: null,
            error: null,
          }
        : state;
    case 'sign-failed': {
      const { error } = action;
      if (isPinError(error.code)) {
        const pinState = error.details?.['pinState'];
        return {
          ...state,
          phase: 'pin',
          progress: null,
          pinError: error,
          pinState:
            typeof pinState === 'string'
              ? (pinState as PinStateName)
              : error.code === 'PKCS11_PIN_LOCKED'
                ? 'locked'
                : state.pinState,
        };
      }
      if (error.code === 'OUTPUT_EXISTS') return { ...state, phase: 'confirm-overwrite', progress: null };
      if (error.code === 'CANCELLED') return { ...state, phase: 'ready', progress: null };
      return { ...state, phase: 'ready', progress: null, error };
    }
    case 'confirm-overwrite':
      return action.overwrite ? { ...state, phase: 'pin', overwrite: true } : { ...state, phase: 'ready' };
    case 'error':
      return { ...state, error: action.error };
    case 'reset':
      return { ...initialSignState, certificates: state.certificates, selected: state.selected };
    case 'dossier':
      return { ...state, dossier: dossierSendReducer(state.dossier, action.action) };
  }
}
