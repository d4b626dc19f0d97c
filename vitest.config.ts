import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // why: graphql 16 has no "exports"; Vite would load its ES build for our sources while Node
    // loads the CommonJS one for graphql-yoga and graphql-ws, and two copies of graphql refuse
    // each other's schemas. Node (npm start, npm run dev) loads the CommonJS one for everyone.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
