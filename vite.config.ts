import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The demo pages build (npm start serves dist/demo) and the test runner's projects.
// The library bundles (element, engine) are built by vite.lib.config.ts.
// JSX (demo/react) follows tsconfig.json's "jsx": "react-jsx": Vite's oxc transform reads it.
export default defineConfig({
  root: 'demo',
  base: './',
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    target: 'es2022',
    // Three pages: React is loaded by react.html only, Vue by vue.html only, neither by the main page.
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'demo/index.html'),
        react: resolve(import.meta.dirname, 'demo/react.html'),
        vue: resolve(import.meta.dirname, 'demo/vue.html'),
      },
    },
  },
  worker: { format: 'es' },
  test: {
    root: '.',
    // Two test files at once where a project allows it (unit, storage, package: vitest's default here is
    // one less than the cores, which is one); the browser projects run one file at a time (see below).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', root: '.', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'storage',
          root: '.',
          include: ['test/storage/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // npm pack of a fresh build, and a TypeScript consumer of the tarball.
          name: 'package',
          root: '.',
          include: ['test/package/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          root: '.',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // One Chromium at a time, after the unit and storage projects are done: the machine has
          // 2 cores, and a main thread starved by other test processes shows up as long tasks.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'engines',
          root: '.',
          include: ['test/engines/**/*.test.ts'],
          // Swift for the uploads, and an X display (Xvfb) for WebKitGTK's MiniBrowser.
          globalSetup: ['test/support/global-setup.ts', 'test/support/xvfb.ts'],
          // After the Chromium-only browser project: one browser at a time on a 2-core machine.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
