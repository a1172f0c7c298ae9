import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built into the gateway's web root, served at /ops (see gateway/Dashboards/OpsDashboard.cs).
export default defineConfig({
  base: '/ops/',
  build: {
    outDir: fileURLToPath(new URL('../../wwwroot/ops', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev` against a running gateway (./ticketing up): the API and the stream are proxied to it.
    proxy: {
      '/api': `http://127.0.0.1:${process.env.TICKETING_GATEWAY_PORT ?? 8080}`,
      '/auth': `http://127.0.0.1:${process.env.TICKETING_GATEWAY_PORT ?? 8080}`,
    },
  },
});
