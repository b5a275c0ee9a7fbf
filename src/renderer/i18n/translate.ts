// t(): the one way a visible string reaches the screen. Keys are checked at compile time.
import { en } from './en.js';
import { vi, type MessageKey } from './vi.js';

export type Language = 'vi' | 'en';
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const dictionaries: Record<Language, Record<MessageKey, string>> = { vi, en };

export function translator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, params) => {
    const text = dictionary[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}
