// The verification screen's state: the document on screen, the verifier's report, the selected
// signature, and the signed revision when the user looks at it.
import type { ContractError, OpenedDocument, VerifyRunResult } from '../../../shared/contract/index.js';

export interface VerifyState {
  readonly phase: 'empty' | 'opening' | 'verifying' | 'ready';
  /** The file as opened (the report is about it). */
  readonly doc: OpenedDocument | null;
  readonly report: VerifyRunResult | null;
  /** Index into report.signatures. */
  readonly selected: number | null;
  readonly page: number;
  /** A signed revision shown instead of the current file (signature: its 1-based number). */
  readonly revision: {
    readonly doc: OpenedDocument;
    readonly signature: number;
    readonly revision: number;
  } | null;
  readonly error: ContractError | null;
  readonly notice: string | null;
}

export const initialVerifyState: VerifyState = {
  phase: 'empty',
  doc: null,
  report: null,
  selected: null,
  page: 1,
  revision: null,
  error: null,
  notice: null,
};

export type VerifyAction =
  | { type: 'opening' }
  | { type: 'opened'; doc: OpenedDocument }
  | { type: 'verified'; report: VerifyRunResult }
  | { type: 'failed'; error: ContractError }
  | { type: 'select'; index: number }
  | { type: 'page'; page: number }
  | { type: 'revision'; doc: OpenedDocument; signature: number; revision: number }
  | { type: 'back' }
  | { type: 'notice'; text: string | null };

export function verifyReducer(state: VerifyState, action: VerifyAction): VerifyState {
  switch (action.type) {
    case 'opening':
      return { ...state, phase: 'opening', error: null, notice: null };
    case 'opened':
      return { ...initialVerifyState, phase: 'verifying', doc: action.doc };
    case 'verified': {
      const first = action.report.signatures.length > 0 ? 0 : null;
      const widget = first === null ? null : action.report.signatures[first]?.widget;
      return { ...state, phase: 'ready', report: action.report, selected: first, page: widget?.page ?? 1 };
    }
    case 'failed':
      return { ...state, phase: state.doc ? 'ready' : 'empty', error: action.error };
    case 'select': {
      const widget = state.report?.signatures[action.index]?.widget;
      return { ...state, selected: action.index, page: widget && !state.revision ? widget.page : state.page };
    }
    case 'page':
      return { ...state, page: action.page };
    case 'revision':
      return {
        ...state,
        revision: { doc: action.doc, signature: action.signature, revision: action.revision },
        page: 1,
      };
    case 'back':
      return { ...state, revision: null, page: 1 };
    case 'notice':
      return { ...state, notice: action.text };
  }
}
