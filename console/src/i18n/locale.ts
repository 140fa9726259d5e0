/** Which language the console starts in: the saved choice, else the browser's, else English. */
export const supportedLocales = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof supportedLocales)[number];

export const localeStorageKey = 'watchpost.locale';

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (supportedLocales as readonly string[]).includes(value);
}

export function pickLocale(saved: string | null, browserLanguages: readonly string[]): AppLocale {
  if (isAppLocale(saved)) return saved;
  for (const language of browserLanguages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
