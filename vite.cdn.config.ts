import { defineConfig } from 'vite';

// The CDN build, dist/cdn/resumable-upload.js: one minified ES module for pages with no bundler and
// no import map (`<script type="module" src=".../resumable-upload.js">`), so lit, idb-keyval,
// spark-md5 and hash-wasm are bundled in and the hash workers inlined (blob: URLs). The
// translations stay chunks of their own next to it (dist/cdn/locales/), fetched relative to the
// module only when an element needs them; English is inside. scripts/build.mjs checks its size.
export default defineConfig({
  publicDir: false,
  // Lit's production build whatever NODE_ENV says (vitest sets 'test', which picks its dev build).
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    minify: true,
    lib: {
      entry: { 'resumable-upload': 'src/element/resumable-upload.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      // Vite's lib mode leaves whitespace in ES output (for consumers' tree-shaking); this file is
      // the end of the line, so the minifier runs in full.
      output: { chunkFileNames: 'locales/[name]-[hash].js', minify: true },
    },
  },
  worker: { format: 'es' },
});
