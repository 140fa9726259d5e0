/** vue-i18n set-up and the language switch (messages + Element Plus locale + <html lang>). */
import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import en, { type MessageSchema } from './en';
import zhCN from './zh-CN';
import { type AppLocale, localeStorageKey, pickLocale } from './locale';

export { type AppLocale, supportedLocales } from './locale';

const initial = pickLocale(localStorage.getItem(localeStorageKey), navigator.languages);

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- `false` is how v11 leaves the deprecated legacy mode.
  legacy: false,
  locale: initial,
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
});
document.documentElement.lang = initial;

export const currentLocale = computed<AppLocale>(() => i18n.global.locale.value);

export const elementLocale = computed(() => (currentLocale.value === 'zh-CN' ? elementZhCn : elementEn));

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(localeStorageKey, locale);
  document.documentElement.lang = locale;
}
