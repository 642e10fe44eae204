import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  browserCpu,
  browserTicks,
  machineCpu,
  parseMachineStat,
  parseStat,
  processTree,
  readProcTable,
} from '../../bench/cpu.ts';
import { networkConditions, parseNet } from '../../bench/net.ts';

// A fake /proc: the bench's CPU sum is pure arithmetic over these files.
let proc: string;
const NODE = 100;

/** A /proc/PID/stat line with the given parent and utime, stime, cutime, cstime. */
function statLine(
  pid: number,
  comm: string,
  ppid: number,
  ticks: [number, number, number, number],
) {
  const [utime, stime, cutime, cstime] = ticks;
  // Fields 3..13, then 14..17, then the rest (which the parser ignores).
  return `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194304 99 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 69185 3133440 408\n`;
}

async function fakeProcess(
  pid: number,
  ppid: number,
  cmdline: string,
  ticks: [number, number, number, number],
  comm = 'proc',
): Promise<void> {
  await mkdir(join(proc, String(pid)), { recursive: true });
  await writeFile(join(proc, String(pid), 'stat'), statLine(pid, comm, ppid, ticks));
  await writeFile(join(proc, String(pid), 'cmdline'), cmdline.split(' ').join('\0') + '\0');
}

beforeEach(async () => {
  proc = await mkdtemp(join(tmpdir(), 'ru-fake-proc-'));
  await fakeProcess(NODE, 1, 'node bench/run.ts', [500, 50, 0, 0]);
  // The browser, its zygote and renderer (a name with a space and a parenthesis), the network service.
  await fakeProcess(
    200,
    NODE,
    '/usr/lib/chromium/chromium --headless --remote-debugging-pipe',
    [10, 5, 0, 0],
  );
  await fakeProcess(201, 200, '/usr/lib/chromium/chromium --type=zygote', [1, 1, 3, 2]);
  await fakeProcess(
    202,
    201,
    '/usr/lib/chromium/chromium --type=renderer',
    [300, 20, 0, 0],
    'Web Content (x)',
  );
  await fakeProcess(
    203,
    200,
    '/usr/lib/chromium/chromium --type=utility --utility-sub-type=network.mojom.NetworkService',
    [40, 30, 0, 0],
  );
  // Swift, also our child, and somebody else's Chromium: neither counts.
  await fakeProcess(300, NODE, '/usr/bin/python3 /usr/bin/swift-proxy-server', [900, 90, 0, 0]);
  await fakeProcess(400, 1, '/usr/lib/chromium/chromium --headless', [700, 70, 0, 0]);
  await fakeProcess(401, 400, '/usr/lib/chromium/chromium --type=renderer', [800, 80, 0, 0]);
  await mkdir(join(proc, 'self'));
});

afterEach(async () => {
  await rm(proc, { recursive: true, force: true });
});

test('parseStat reads the parent and utime + stime + cutime + cstime after a command name with spaces and parentheses', () => {
  expect(parseStat(statLine(7, 'a) (b', 3, [1, 2, 3, 4]))).toEqual({ ppid: 3, ticks: 10 });
  expect(() => parseStat('garbage')).toThrow(/stat/);
});

test('the browser tree holds the browser we launched and every descendant, not Swift nor another browser', async () => {
  const table = await readProcTable(proc);
  expect([...processTree(table, [200])].sort()).toEqual([200, 201, 202, 203]);
  // 15 + (2 + 5) + 320 + 70
  expect(await browserTicks(NODE, proc)).toBe(412);
});

test('browserCpu gives the seconds spent between start and stop, a renderer that exits moving to its reaper', async () => {
  const cpu = await browserCpu(NODE, proc, 100);
  // The renderer works 2 s more, the network service 0.5 s, Swift 9 s (not counted)...
  await fakeProcess(202, 201, '/usr/lib/chromium/chromium --type=renderer', [480, 40, 0, 0]);
  await fakeProcess(203, 200, '/usr/lib/chromium/chromium --type=utility', [80, 40, 0, 0]);
  await fakeProcess(300, NODE, '/usr/bin/python3 /usr/bin/swift-proxy-server', [1800, 90, 0, 0]);
  // ...and a new renderer starts, works 1 s, exits and is reaped by the zygote (its cutime/cstime).
  await fakeProcess(201, 200, '/usr/lib/chromium/chromium --type=zygote', [1, 1, 3 + 90, 2 + 10]);
  expect(await cpu.stop()).toBeCloseTo(2 + 0.5 + 1, 6);
});

test('--net parses LATENCY_MS:MBIT into Chromium network conditions that throttle uploads only', () => {
  expect(parseNet(undefined)).toBeUndefined();
  expect(parseNet('40:400')).toEqual({ latencyMs: 40, mbit: 400 });
  expect(networkConditions({ latencyMs: 40, mbit: 400 })).toEqual({
    offline: false,
    latency: 40,
    downloadThroughput: -1,
    uploadThroughput: 50e6,
  });
  expect(parseNet('0:12.5')).toEqual({ latencyMs: 0, mbit: 12.5 });
  for (const bad of ['40', '40:0', 'a:b', '-1:400', '40:400:1'])
    expect(() => parseNet(bad), bad).toThrow(TypeError);
});

test("the machine's busy share counts every process and the kernel, not idle, iowait or steal", async () => {
  // user nice system idle iowait irq softirq steal guest guest_nice
  const stat = (t: number[]) => `cpu  ${t.join(' ')} 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\n`;
  expect(parseMachineStat(stat([10, 1, 5, 80, 3, 0, 1, 0]))).toEqual({
    busy: 17,
    idle: 83,
    steal: 0,
  });
  expect(() => parseMachineStat('intr 1 2 3\n')).toThrow(/no cpu line/);
  await writeFile(join(proc, 'stat'), stat([100, 0, 50, 1000, 0, 0, 0, 10]));
  const machine = await machineCpu(proc, 100);
  // Over the phase: 150 ticks busy (120 user, 30 system), 40 idle, 10 stolen.
  await writeFile(join(proc, 'stat'), stat([220, 0, 80, 1040, 0, 0, 0, 20]));
  const { busyShare, busyS, stealShare } = await machine.stop();
  expect(busyS).toBeCloseTo(1.5);
  expect(busyShare).toBeCloseTo(150 / 200);
  expect(stealShare).toBeCloseTo(10 / 200);
});
