// Experiment (7 Dec 2026): can the file be read once? The engine reads each part twice: a worker reads it to
// hash it, and the browser reads it again to send the Blob slice. This PUTs, side by side in one browser, the
// file's 8 MiB slices (`raw`), the same after a worker read of each (`twice`: what the engine does, minus the
// MD5), and an in-memory Blob built from the bytes the worker read, sent from the page (`once`) or from the
// worker itself (`once-put`); to a Node server on 127.0.0.1 that drains each body (its MD5 checks nothing).
// Whole-browser CPU per GiB as in bench/cpu.ts. Run: node --import tsx bench/experiments/read-once.ts
// (SIZE=MiB, RUNS=N, MODES=raw,twice,once,once-put). Results are in bench/README.md.
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright';
import { browserCpu, machineCpu } from '../cpu.ts';

const MiB = 1024 * 1024;
const size = Number(process.env.SIZE ?? 512) * MiB;
const dir = mkdtempSync(join(tmpdir(), 'read-once-'));
const file = join(dir, 'f.bin');
{
  const buf = Buffer.alloc(size);
  for (let o = 0; o < size; o += MiB) randomBytes(MiB).copy(buf, o);
  writeFileSync(file, buf);
}
const workerJs = `
const PART = 8*1024*1024;
async function readAll(blob, into) {
  const reader = blob.stream().getReader({ mode: 'byob' });
  let off = 0;
  let buf = into ? new ArrayBuffer(blob.size) : new ArrayBuffer(2*1024*1024);
  for (;;) {
    const view = into ? new Uint8Array(buf, off, Math.min(2*1024*1024, blob.size - off)) : new Uint8Array(buf);
    if (into && view.byteLength === 0) { await reader.cancel(); break; }
    const { done, value } = await reader.read(view);
    if (done) break;
    buf = value.buffer;
    off += value.byteLength;
  }
  return buf;
}
function put(url, body) {
  return new Promise((res, rej) => { const x = new XMLHttpRequest(); x.open('PUT', url); x.onload = () => res(x.status); x.onerror = rej; x.upload.onprogress = () => {}; x.send(body); });
}
onmessage = async (e) => {
  const { id, blob, mode, url } = e.data;
  if (mode === 'read') { await readAll(blob, false); postMessage({ id }); }
  else if (mode === 'once') { const buf = await readAll(blob, true); postMessage({ id, blob: new Blob([buf]) }); }
  else if (mode === 'once-put') { const buf = await readAll(blob, true); await put(url, new Blob([buf])); postMessage({ id }); }
  else if (mode === 'once-putab') { const buf = await readAll(blob, true); await put(url, buf); postMessage({ id }); }
};`;
const pageJs = `
const PART = 8*1024*1024;
function put(url, body) {
  return new Promise((res, rej) => { const x = new XMLHttpRequest(); x.open('PUT', url); x.onload = () => res(x.status); x.onerror = rej; x.upload.onprogress = () => {}; x.send(body); });
}
window.run = async (mode) => {
  const f = document.querySelector('input').files[0];
  const n = Math.ceil(f.size / PART);
  const workers = [new Worker('/w.js'), new Worker('/w.js')];
  let seq = 0;
  const ask = (w, msg) => new Promise((res) => { const id = ++seq; const h = (e) => { if (e.data.id === id) { w.removeEventListener('message', h); res(e.data); } }; w.addEventListener('message', h); w.postMessage({ id, ...msg }); });
  const t0 = performance.now();
  let next = 0;
  async function lane(k) {
    while (next < n) {
      const i = next++;
      const slice = f.slice(i*PART, Math.min(f.size, (i+1)*PART));
      const url = '/put/' + i;
      const w = workers[k % 2];
      if (mode === 'raw') await put(url, slice);
      else if (mode === 'twice') { await ask(w, { blob: slice, mode: 'read' }); await put(url, slice); }
      else if (mode === 'once') { const r = await ask(w, { blob: slice, mode: 'once' }); await put(url, r.blob); }
      else if (mode === 'once-put') { await ask(w, { blob: slice, mode: 'once-put', url: location.origin + url }); }
    }
  }
  await Promise.all([0,1,2,3].map(lane));
  workers.forEach((w) => w.terminate());
  return performance.now() - t0;
};`;
let received = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'PUT') {
    const h = createHash('md5');
    req.on('data', (c) => {
      received += c.length;
      h.update(c);
    });
    req.on('end', () => {
      res.writeHead(200, { ETag: '"' + h.digest('hex') + '"' });
      res.end();
    });
    return;
  }
  if (req.url === '/w.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    return res.end(workerJs);
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<input type=file><script>${pageJs}</script>`);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${port}/`);
await page.setInputFiles('input', file);
const modes = (process.env.MODES ?? 'raw,twice,once,once-put').split(',');
const runs = Number(process.env.RUNS ?? 3);
const res: Record<string, { mbs: number; cpu: number }[]> = {};
await page.evaluate(`run('raw')`);
for (let r = 0; r < runs; r++) {
  for (const m of r % 2 ? [...modes].reverse() : modes) {
    received = 0;
    const cpu = await browserCpu();
    const mc = await machineCpu();
    const ms = (await page.evaluate(`run('${m}')`)) as number;
    const c = await cpu.stop();
    const mm = await mc.stop();
    if (received !== size) throw new Error(`${m}: received ${received}`);
    (res[m] ??= []).push({ mbs: size / 1e6 / (ms / 1000), cpu: c / (size / 1024 ** 3) });
    console.log(
      m,
      (size / 1e6 / (ms / 1000)).toFixed(1),
      'MB/s',
      (c / (size / 1024 ** 3)).toFixed(2),
      'CPU s/GiB',
      `machine ${(mm.busyShare * 100).toFixed(0)} % busy`,
    );
  }
}
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const m of modes)
  console.log(
    `median ${m}: ${med(res[m].map((x) => x.mbs)).toFixed(1)} MB/s, ${med(res[m].map((x) => x.cpu)).toFixed(2)} CPU s/GiB`,
  );
await browser.close();
server.close();
rmSync(dir, { recursive: true, force: true });
