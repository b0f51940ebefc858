import { defineConfig } from 'vite';

// `npm run playground` serves this folder on 127.0.0.1; the page imports elman from ../src.
export default defineConfig({
  root: import.meta.dirname,
  server: { host: '127.0.0.1', port: 5174 },
  preview: { host: '127.0.0.1', port: 5174 },
  // Pre-bundle the plot libraries up front: discovering them on first use would reload the page mid-session.
  optimizeDeps: { include: ['vega', 'vega-lite'] },
  worker: { format: 'es' },
  build: { chunkSizeWarningLimit: 1024 }, // vega is ~540 kB minified, loaded once
});
