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
  },
};

export default config;
