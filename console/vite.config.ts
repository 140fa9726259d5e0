import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The hub serves the built console at `/`; in development the API is proxied to a local hub.
const hub = 'http://127.0.0.1:7080';

export default defineConfig({
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': hub,
      '/healthz': hub,
    },
  },
});
