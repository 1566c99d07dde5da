/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API is served on the same origin under /api; in development the Go
// backend (`lightpress up`) listens on 127.0.0.1:8080.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    // Rules tests run in node; component tests opt in with a @vitest-environment happy-dom comment.
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
