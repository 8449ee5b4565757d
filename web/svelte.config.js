import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Runes everywhere in our own code; libraries keep whatever mode they were written in.
    runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true),
  },
  kit: {
    // `node build` honours PORT, HOST, ORIGIN, PROTOCOL_HEADER, HOST_HEADER, BODY_SIZE_LIMIT…
    adapter: adapter({ out: 'build' }),
    // SvelteKit's own CSRF check refuses every form-encoded POST whose Origin is not ours, including
    // one with no Origin at all: that is how Open311 clients (servers and apps, /open311/v2) post. The
    // app has no SvelteKit form actions; every write goes to the API through the proxy, and the API
    // makes its own check (Fetch Metadata / Origin, http/hardening.ts `sameOrigin`) on all of them but
    // Open311, which a client's api_key authorises and no cookie. So SvelteKit's check is off here.
    csrf: { trustedOrigins: ['*'] },
    // Content Security Policy (issue 10): SvelteKit adds a hash or nonce for its own inline scripts.
    // Styles may be inline (Svelte transitions and the charts set style attributes).
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
