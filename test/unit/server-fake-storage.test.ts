// The handler's unit tests run against FakeStorage: the storage conformance suite proves it keeps
// the S3 semantics the real stores have, so what those tests show holds for the real stores too.
import { vi } from 'vitest';
import { serveAdapter } from '../storage/conformance-http.ts';
import { describeConformance } from '../storage/conformance.ts';
import { FakeStorage } from './server-fake-storage.ts';

// Parts of 5 MiB over loopback HTTP, and one URL left to expire: more than the unit default.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

describeConformance('in-memory fake store of the handler unit tests', async () => {
  // The single PUTs' URLs go to the server, so the store is made once its address is known.
  const server = await serveAdapter({
    handle: (request: Request) => adapter.handle(request),
  } as never);
  const adapter = new FakeStorage(`${server.baseUrl}/_fake/objects`);
  return {
    adapter,
    pagedAdapter: () => adapter,
    context: { baseUrl: server.baseUrl },
    close: () => server.close(),
  };
});
