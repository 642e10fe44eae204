import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import {
  createLocalStorage,
  createS3Storage,
  type S3Storage,
} from '../../src/server/storage/index.ts';
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

describeConformance('Swift s3api through the S3 adapter', async () => {
  const s3 = inject('s3');
  const made: S3Storage[] = [];
  const make = (listPartsPageSize?: number) => {
    const adapter = createS3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: s3.bucket,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: s3.forcePathStyle,
      listPartsPageSize,
    });
    made.push(adapter);
    return adapter;
  };
  return {
    adapter: make(),
    pagedAdapter: (pageSize) => make(pageSize),
    // Part URLs go straight to the store; the handler's base URL is not used.
    context: { baseUrl: 'http://127.0.0.1:1/api/upload' },
    async close() {
      for (const adapter of made) adapter.destroy();
    },
  };
});
