// npm run build: the demo page, the browser bundles (element, engine), the single-file CDN build
// (checked against its size budget), the server entry with type declarations, and
// custom-elements.json. Each step is a plain command so a failure names its tool.
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

// Declarations of the browser entries (element, engine) in dist/types; a config of its own because
// the project's tsconfig.json checks tests and the demo too and emits nothing.
mkdirSync('dist', { recursive: true });
writeFileSync(
  'dist/tsconfig.types.json',
  JSON.stringify({
    extends: '../tsconfig.json',
    compilerOptions: {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      // Declarations marked @internal are left out of the published types.
      stripInternal: true,
      rewriteRelativeImportExtensions: true,
      rootDir: '../src',
      outDir: 'types',
    },
    include: [],
    files: [
      '../src/element/resumable-upload.ts',
      '../src/element/element.ts',
      '../src/browser/engine.ts',
    ],
  }),
);

const steps = [
  ['demo page', 'npx vite build'],
  ['browser bundles (dist/browser)', 'npx vite build --config vite.lib.config.ts'],
  ['CDN file (dist/cdn)', 'npx vite build --config vite.cdn.config.ts'],
  ['CDN size budget', 'node scripts/cdn-size.mjs'],
  ['browser type declarations (dist/types)', 'npx tsc -p dist/tsconfig.types.json'],
  // dist/server/index.js and its declarations.
  ['server entry (dist/server)', 'npx tsc -p tsconfig.build.json'],
  [
    'custom-elements.json',
    'npx cem analyze --litelement --globs "src/element/**/*.ts" --outdir dist --quiet',
  ],
];
for (const [name, command] of steps) {
  console.log(`build: ${name}`);
  execSync(command, { stdio: 'inherit' });
}
