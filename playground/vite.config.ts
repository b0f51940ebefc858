import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// `npm run playground` serves this folder on 127.0.0.1; the page imports elman from ../src.
export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the built copy works from any sub-path (a project page, a docs folder), not only a domain root.
  base: './',
  server: { host: '127.0.0.1', port: 5174 },
  preview: { host: '127.0.0.1', port: 5174 },
  // Pre-bundle the plot libraries up front: discovering them on first use would reload the page mid-session.
  optimizeDeps: { include: ['vega', 'vega-lite'] },
  worker: { format: 'es' },
  build: {
    chunkSizeWarningLimit: 1024, // vega is ~540 kB minified, loaded once
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), bench: resolve(import.meta.dirname, 'bench.html') } },
  },
});
