// What every screen needs: the contract client (the only way to the engine), the app language and
// its translator.
import { createContext, useContext } from 'react';
import type { KysoClient } from '../shared/contract/index.js';
import type { Language, Translate } from './i18n/translate.js';

export interface AppContextValue {
  readonly client: KysoClient;
  readonly language: Language;
  readonly t: Translate;
  readonly setLanguage: (language: Language) => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext>');
  return value;
}
