// Component and store tests (Vitest + Vue Test Utils in happy-dom): `*.spec.ts` beside the code.
// Pure helpers keep `*.test.ts` under node:test; the real browser is exercised by tests/e2e/console.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
  },
});
