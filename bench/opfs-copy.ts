// node --import tsx bench/opfs-copy.ts [--size=100 --runs=3 --engines=chromium,firefox]
// Times an upload of a file on disk (size in MiB) through the element to the local store, with the
// private OPFS copy for resume on (opfs-copy-max-size = the file's size) and off (0), runs alternated,
// in each engine through the cross-engine test drivers. Prints medians; the machine is shared, so the
// figures are noisy: compare the two columns of one run of this script, not figures across runs.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createUploadHandler } from '../src/server/index.ts';
import { createLocalStorage } from '../src/server/storage/index.ts';
import type { EngineName } from '../test/engines/driver.ts';
import { launchChromiumDriver } from '../test/engines/chromium-driver.ts';
import { launchFirefoxDriver } from '../test/engines/firefox-driver.ts';
import { openPage, uploaded } from '../test/engines/page-steps.ts';
import { startApp } from '../test/support/vite-app.ts';

const MiB = 1024 * 1024;
const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    engines: { type: 'string', default: 'chromium,firefox' },
  },
});
const size = Math.round(Number(flags.size) * MiB);
const runs = Number(flags.runs);
// WebKit is left out: WebKitWebDriver's ephemeral session has no OPFS, so there is no copy to time.
const launchers: Partial<Record<EngineName, () => ReturnType<typeof launchChromiumDriver>>> = {
  chromium: launchChromiumDriver,
  firefox: launchFirefoxDriver,
};

const dir = await mkdtemp(join(tmpdir(), 'ru-bench-copy-'));
const storage = createLocalStorage({
  root: join(dir, 'store'),
  secret: randomBytes(16).toString('hex'),
});
const app = await startApp({
  handler: createUploadHandler({ storage, tokenSecret: randomBytes(24).toString('hex') }),
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  for (const engine of flags.engines.split(',') as EngineName[]) {
    const driver = await launchers[engine]!();
    const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
    try {
      for (let run = 0; run < runs; run++) {
        const order: ('off' | 'on')[] = run % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
        for (const mode of order) {
          // A new file each time (name and bytes): no resume from an earlier run.
          const name = `bench-${engine}-${run}-${mode}.bin`;
          const path = join(dir, name);
          await writeFile(path, randomBytes(size));
          await openPage(driver, app.url, {
            'part-size': '8MiB',
            'opfs-copy-max-size': mode === 'on' ? String(size) : '0',
          });
          const t0 = performance.now();
          await driver.setFiles('#files', [path]);
          await uploaded(driver, name);
          const ms = performance.now() - t0;
          times[mode].push(ms);
          await rm(path);
          console.log(
            `${engine} run ${run} copy ${mode}: ${(size / 1e6 / (ms / 1000)).toFixed(1)} MB/s`,
          );
        }
      }
    } finally {
      await driver.close();
    }
    const off = median(times.off);
    const on = median(times.on);
    console.log(
      `${engine}: ${flags.size} MiB, median of ${runs}: copy off ${(off / 1000).toFixed(2)} s, ` +
        `copy on ${(on / 1000).toFixed(2)} s (${(((on - off) / off) * 100).toFixed(1)} %)`,
    );
  }
} finally {
  await app.close();
  await rm(dir, { recursive: true, force: true });
}
