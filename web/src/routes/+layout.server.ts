import type { LayoutServerLoad } from './$types';

/** The user's language, so the page renders in it on the server (see hooks.server.ts). */
export const load: LayoutServerLoad = ({ locals }) => ({
  locale: locals.locale,
  localeFromCookie: locals.localeFromCookie,
});
