import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// /api and /events are proxied by src/hooks.server.ts, in `vite dev` as in `node build`,
// so no Vite proxy is configured here: one code path for both.
export default defineConfig({
  plugins: [sveltekit()],
  server: { port: 5173 },
});
