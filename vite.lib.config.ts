import { defineConfig } from 'vite';

// The library bundles in dist/browser: the element (defines <resumable-upload> on import), the
// element class without a tag (`resumable-upload/element`) and the engine alone (no UI). The dependencies (lit, idb-keyval, spark-md5, hash-wasm) stay imports for the
// consumer's bundler or import map; the hash workers are bundled whole (a module worker cannot use
// the page's import map) and inlined into the entries (`?worker&inline`: started from a blob: URL),
// so the bundle loads with no bundler configuration and no extra file to serve. A page whose CSP
// has worker-src must allow blob: (see README).
const dependencies = ['lit', 'idb-keyval', 'spark-md5', 'hash-wasm'];

export default defineConfig({
  // Nothing from demo/ or public/: only the entries.
  publicDir: false,
  build: {
    outDir: 'dist/browser',
    emptyOutDir: true,
    target: 'es2022',
    // Unminified and readable; no source maps, since Vite would also emit maps of the inlined
    // workers (330 kB) that nothing loads.
    sourcemap: false,
    minify: false,
    lib: {
      entry: {
        'resumable-upload': 'src/element/resumable-upload.ts',
        element: 'src/element/element.ts',
        engine: 'src/browser/engine.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external: (id) => dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`)),
    },
  },
  worker: { format: 'es' },
});
