// The bench's read-only worker: reads each Blob it is sent with the MD5 workers' own BYOB loop, one at a time
// as an MD5 worker does, and hashes nothing, so the bench can tell what reading a part costs from its MD5.
import { byobChunks } from '../../src/worker/md5-digest.ts';

const CHUNK = 2 * 1024 * 1024;

let queue = Promise.resolve();
self.addEventListener('message', (event: MessageEvent<{ id: number; blob: Blob }>) => {
  const { id, blob } = event.data;
  queue = queue.then(async () => {
    let bytes = 0;
    for await (const chunk of byobChunks(blob, CHUNK)) bytes += chunk.byteLength;
    self.postMessage({ id, bytes });
  });
});
