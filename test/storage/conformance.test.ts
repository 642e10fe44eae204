import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStorage } from '../../src/server/storage/index.ts';
import { serveAdapter } from './conformance-http.ts';
import { describeConformance } from './conformance.ts';

describeConformance('local filesystem store', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ru-local-'));
  const adapter = createLocalStorage({ root, secret: 'conformance-secret-0123456789' });
  const server = await serveAdapter(adapter);
  return {
    adapter,
    // The local store reads every part in one go: there are no pages to merge.
    pagedAdapter: () => adapter,
    context: { baseUrl: server.baseUrl },
    async uploadLeftNothing(uploadId) {
      const entries = (dir: string) => readdir(dir).catch(() => [] as string[]);
      return (
        !(await entries(join(root, 'uploads'))).includes(uploadId) &&
        (await entries(join(root, 'trash'))).length === 0
      );
    },
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});
