// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** English text of the error, shown when the UI is switched to English. */
      messageEn?: string;
    }
    interface Locals {
      /** The user's language, from the `jianyi.locale` cookie (hooks.server.ts); the default without it. */
      locale: import('$lib/i18n').Locale;
      /** Whether the cookie named it (else the browser may still hold an older choice in localStorage). */
      localeFromCookie: boolean;
    }
    // interface PageData {}
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
