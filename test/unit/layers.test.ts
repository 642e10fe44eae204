// The layer rule of eslint.config.js, run on sample files: the engine core imports no browser layer
// and no storage or hashing library, and the adapters see only the engine's ports and types.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The messages of no-restricted-imports for one import line in a file at `path`. */
async function restricted(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport { x };\n`, { filePath: path });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layer rule', () => {
  it.each([
    "import { x } from '../persistence/index.ts';",
    "import { x } from '../worker/count.ts';",
    "import { x } from '../element/format.ts';",
    "import { x } from '../browser/ports.ts';",
    "import { get as x } from 'idb-keyval';",
    "import x from 'spark-md5';",
    "import { createMD5 as x } from 'hash-wasm';",
    "import { html as x } from 'lit';",
  ])(
    'refuses in the engine core: %s',
    async (line) => {
      expect(await restricted('src/engine/sample.ts', line)).toHaveLength(1);
    },
    30_000,
  );

  it.each([
    "import { x } from '../protocol/index.ts';",
    "import type { Hasher as x } from './ports.ts';",
  ])('allows in the engine core: %s', async (line) => {
    expect(await restricted('src/engine/sample.ts', line)).toEqual([]);
  });

  it.each([
    ['src/persistence/sample.ts', "import { pageLock as x } from '../engine/page-lock.ts';"],
    ['src/worker/sample.ts', "import { resolveOptions as x } from '../engine/options.ts';"],
    ['src/persistence/sample.ts', "import { browserPorts as x } from '../browser/ports.ts';"],
  ])('refuses in an adapter (%s): %s', async (path, line) => {
    expect(await restricted(path, line)).toHaveLength(1);
  });

  it.each([
    ['src/persistence/sample.ts', "import type { ResumeStore as x } from '../engine/ports.ts';"],
    ['src/worker/sample.ts', "import type { UploadSnapshot as x } from '../engine/types.ts';"],
    ['src/browser/sample.ts', "import { x } from '../persistence/index.ts';"],
  ])('allows (%s): %s', async (path, line) => {
    expect(await restricted(path, line)).toEqual([]);
  });
});
