// The "Ký hàng loạt" screen's state, in one place: what to sign and how, the run's progress and its
// documents, and the result. The documents of a run arrive a few at a time (coalesced progress) and
// are kept in arrival order; the result replaces them with the batch's full list (pending included).
import type {
  BatchDocumentState,
  BatchDocumentView,
  BatchProgressView,
  BatchRunProgress,
  BatchRunResult,
  ContractError,
  PinStateName,
  SignTemplateName,
  SigningDefaults,
  TokenModuleView,
  UnfinishedBatchView,
} from '../../../shared/contract/index.js';
import { withCertificateChoices, type CertificateChoice } from '../sign/sign-state.js';

export type BatchPhase = 'setup' | 'pin' | 'running' | 'finished';
export type BatchFilter = 'all' | BatchDocumentState;

export interface BatchState {
  readonly phase: BatchPhase;
  readonly inputs: readonly string[];
  readonly recursive: boolean;
  readonly outDir: string | null;
  readonly suffix: string;
  readonly template: SignTemplateName;
  readonly anchor: string;
  readonly choices: readonly CertificateChoice[] | null;
  readonly choicesError: ContractError | null;
  readonly certificateKey: string | null;
  /** The next run continues the batch in outDir (after a pause, or one left unfinished). */
  readonly resume: boolean;
  readonly retryFailed: boolean;
  readonly pinError: ContractError | null;
  readonly pinState: PinStateName | null;
  readonly stage: BatchRunProgress['stage'] | null;
  readonly progress: BatchProgressView | null;
  readonly documents: readonly BatchDocumentView[];
  readonly result: BatchRunResult | null;
  readonly error: ContractError | null;
  readonly filter: BatchFilter;
  readonly unfinished: UnfinishedBatchView | null;
  readonly notice: string | null;
  /** "Mặc định khi ký" from Cài đặt: a new batch starts from them. */
  readonly defaults: SigningDefaults | null;
}

export const initialBatchState: BatchState = {
  phase: 'setup',
  inputs: [],
  recursive: false,
  outDir: null,
  suffix: '-da-ky',
  template: 'personal',
  anchor: '',
  choices: null,
  choicesError: null,
  certificateKey: null,
  resume: false,
  retryFailed: false,
  pinError: null,
  pinState: null,
  stage: null,
  progress: null,
  documents: [],
  result: null,
  error: null,
  filter: 'all',
  unfinished: null,
  notice: null,
  defaults: null,
};

/** The fields of a new batch that "Mặc định khi ký" sets. */
function fromDefaults(d: SigningDefaults | null): Partial<BatchState> {
  if (d === null) return {};
  return { template: d.template, anchor: d.anchorText, suffix: d.outputSuffix, outDir: d.outputFolder };
}

export type BatchAction =
  | { type: 'tokens'; modules: readonly TokenModuleView[] }
  | { type: 'tokensFailed'; error: ContractError }
  | { type: 'defaults'; defaults: SigningDefaults }
  | { type: 'addInputs'; paths: readonly string[] }
  | { type: 'removeInput'; path: string }
  | {
      type: 'set';
      patch: Partial<
        Pick<
          BatchState,
          'recursive' | 'outDir' | 'suffix' | 'template' | 'anchor' | 'certificateKey' | 'filter'
        >
      >;
    }
  | { type: 'error'; error: ContractError | null }
  | { type: 'notice'; text: string | null }
  | { type: 'askPin'; resume: boolean; retryFailed: boolean }
  | { type: 'cancelPin' }
  | { type: 'pinFailed'; error: ContractError; pinState: PinStateName | null }
  | { type: 'started' }
  | { type: 'progress'; event: BatchRunProgress }
  | { type: 'finished'; result: BatchRunResult }
  | { type: 'runFailed'; error: ContractError }
  | { type: 'unfinished'; batch: UnfinishedBatchView | null }
  /** The unfinished batch's documents, folder and template, to be continued from its journal. */
  | { type: 'prepareResume'; batch: UnfinishedBatchView }
  | { type: 'newBatch' };

/** The folder a file path is in (the separator of the path's own system). */
export function parentOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut <= 0 ? file : file.slice(0, cut);
}

function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** Where the signed copies go unless the user chooses: a "da-ky" folder beside the first input. */
export function defaultOutDir(input: string): string {
  const folder = /\.pdf$/i.test(input) ? parentOf(input) : input;
  return joinPath(folder, 'da-ky');
}

export function batchReducer(state: BatchState, action: BatchAction): BatchState {
  switch (action.type) {
    case 'tokens':
      return withCertificateChoices(state, action.modules);
    case 'tokensFailed':
      return { ...state, choices: [], choicesError: action.error };
    case 'defaults':
      // Applied to a batch not started yet; one being set up or resumed keeps what it has.
      return {
        ...state,
        defaults: action.defaults,
        ...(state.phase === 'setup' && state.inputs.length === 0 && !state.resume
          ? fromDefaults(action.defaults)
          : {}),
      };
    case 'addInputs': {
      const added = action.paths.filter((p) => !state.inputs.includes(p));
      const inputs = [...state.inputs, ...added];
      const first = inputs[0];
      return {
        ...state,
        inputs,
        outDir: state.outDir ?? (first === undefined ? null : defaultOutDir(first)),
        error: null,
      };
    }
    case 'removeInput':
      return { ...state, inputs: state.inputs.filter((p) => p !== action.path) };
    case 'set':
      return { ...state, ...action.patch };
    case 'error':
      return { ...state, error: action.error };
    case 'notice':
      return { ...state, notice: action.text };
    case 'askPin':
      return {
        ...state,
        phase: 'pin',
        resume: action.resume,
        retryFailed: action.retryFailed,
        pinError: null,
        error: null,
      };
    case 'cancelPin':
      return { ...state, phase: state.result ? 'finished' : 'setup', pinError: null };
    case 'pinFailed':
      return { ...state, phase: 'pin', pinError: action.error, pinState: action.pinState ?? state.pinState };
    case 'started':
      return {
        ...state,
        phase: 'running',
        stage: 'opening',
        progress: null,
        documents: [],
        result: null,
        notice: null,
        filter: 'all',
        unfinished: null,
      };
    case 'progress':
      return {
        ...state,
        stage: action.event.stage,
        progress: action.event.progress ?? state.progress,
        documents:
          action.event.finished.length > 0 ? [...state.documents, ...action.event.finished] : state.documents,
      };
    case 'finished':
      return {
        ...state,
        phase: 'finished',
        stage: null,
        result: action.result,
        documents: action.result.documents,
        // a batch with documents left continues from its journal the next time
        resume: action.result.pending > 0 || action.result.failed > 0,
      };
    case 'runFailed':
      return { ...state, phase: state.result ? 'finished' : 'setup', stage: null, error: action.error };
    case 'unfinished':
      return { ...state, unfinished: action.batch };
    case 'prepareResume':
      return {
        ...initialBatchState,
        choices: state.choices,
        certificateKey: state.certificateKey,
        inputs: action.batch.inputs,
        recursive: action.batch.recursive,
        outDir: action.batch.outDir,
        suffix: action.batch.suffix,
        template: action.batch.template,
        anchor: action.batch.anchor,
        resume: true,
        defaults: state.defaults,
      };
    case 'newBatch':
      return {
        ...initialBatchState,
        ...fromDefaults(state.defaults),
        choices: state.choices,
        certificateKey: state.certificateKey,
        defaults: state.defaults,
      };
  }
}

export function selectedBatchChoice(state: BatchState): CertificateChoice | null {
  return state.choices?.find((c) => c.key === state.certificateKey) ?? null;
}

export function countsOf(documents: readonly BatchDocumentView[]): Record<BatchFilter, number> {
  const counts: Record<BatchFilter, number> = { all: documents.length, signed: 0, failed: 0, pending: 0 };
  for (const d of documents) counts[d.status]++;
  return counts;
}
