import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** One process as /proc/PID/stat and cmdline describe it. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
  cmdline: string;
}

/**
 * Parent pid and CPU ticks from the text of /proc/PID/stat: fields 14-15 (utime, stime: the process and all
 * its threads, workers included, dead ones too) plus 16-17 (cutime, cstime: children it reaped), so a child
 * that exits during a phase moves its ticks to its parent instead of taking them out of the sum.
 */
export function parseStat(text: string): { ppid: number; ticks: number } {
  // The command name is in parentheses and may hold spaces or ')': fields start after the last ')'.
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  // fields[0] is field 3 (state): field N is fields[N - 3].
  const at = (n: number) => Number(fields[n - 3]);
  const ticks = at(14) + at(15) + at(16) + at(17);
  if (!Number.isFinite(ticks) || !Number.isFinite(at(4)))
    throw new Error(`not a /proc/PID/stat line: ${text.slice(0, 80)}`);
  return { ppid: at(4), ticks };
}

/** Every process under `procRoot` (normally /proc) that could be read; processes that vanish meanwhile are skipped. */
export async function readProcTable(procRoot = '/proc'): Promise<ProcEntry[]> {
  const entries: ProcEntry[] = [];
  for (const name of await readdir(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseStat(await readFile(join(procRoot, name, 'stat'), 'utf8'));
      const cmdline = (await readFile(join(procRoot, name, 'cmdline'), 'utf8')).replace(/\0/g, ' ');
      entries.push({ pid: Number(name), ...stat, cmdline });
    } catch {
      // Gone between readdir and readFile.
    }
  }
  return entries;
}

/**
 * The browsers `parentPid` launched: its children whose command line names Chromium and has no `--type=`
 * (renderers, the GPU process and utilities have one). Swift or anything else the bench started is not counted.
 */
export function browserRoots(table: ProcEntry[], parentPid: number): number[] {
  return table
    .filter(
      (p) => p.ppid === parentPid && /chrom/i.test(p.cmdline) && !p.cmdline.includes('--type='),
    )
    .map((p) => p.pid);
}

/** The pids of `roots` and all their descendants. */
export function processTree(table: ProcEntry[], roots: number[]): Set<number> {
  const tree = new Set(roots);
  const children = new Map<number, number[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const todo = [...roots];
  while (todo.length > 0) {
    for (const child of children.get(todo.pop()!) ?? []) {
      if (!tree.has(child)) {
        tree.add(child);
        todo.push(child);
      }
    }
  }
  return tree;
}

/** CPU ticks of the browsers `parentPid` launched and every descendant (renderer, network service, GPU, storage). */
export async function browserTicks(parentPid: number, procRoot = '/proc'): Promise<number> {
  const table = await readProcTable(procRoot);
  const tree = processTree(table, browserRoots(table, parentPid));
  return table.filter((p) => tree.has(p.pid)).reduce((sum, p) => sum + p.ticks, 0);
}

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** Starts counting the whole browser's CPU; stop() resolves with the CPU seconds spent since. */
export async function browserCpu(
  parentPid = process.pid,
  procRoot = '/proc',
  hz = clockTicksPerSecond(),
): Promise<{ stop(): Promise<number> }> {
  const start = await browserTicks(parentPid, procRoot);
  return { stop: async () => ((await browserTicks(parentPid, procRoot)) - start) / hz };
}

/** The machine's CPU time from the `cpu` line of /proc/stat, in clock ticks summed over every core. */
export interface MachineTicks {
  /** user + nice + system + irq + softirq: every process, ours or not, and the kernel. */
  busy: number;
  /** idle + iowait: cores with nothing to run. */
  idle: number;
  /** Time the hypervisor gave this machine's cores to someone else. */
  steal: number;
}

/** Parses the first (`cpu `) line of /proc/stat's text. */
export function parseMachineStat(text: string): MachineTicks {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  const f = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 8 || f.slice(0, 8).some((n) => !Number.isFinite(n)))
    throw new Error(`no cpu line in /proc/stat: ${text.slice(0, 80)}`);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/**
 * Starts counting what the whole machine's cores did (the browser, the store, Swift, anything else);
 * stop() answers the busy share of the cores' time and the busy CPU seconds. A phase whose machine was busy
 * 95 % of the time was CPU-bound: it could only go faster by doing less work, not by overlapping it better.
 */
export async function machineCpu(
  procRoot = '/proc',
  hz = clockTicksPerSecond(),
): Promise<{ stop(): Promise<{ busyShare: number; busyS: number; stealShare: number }> }> {
  const read = async () => parseMachineStat(await readFile(join(procRoot, 'stat'), 'utf8'));
  const start = await read();
  return {
    stop: async () => {
      const end = await read();
      const busy = end.busy - start.busy;
      const steal = end.steal - start.steal;
      const all = busy + (end.idle - start.idle) + steal;
      return {
        busyShare: all > 0 ? busy / all : NaN,
        busyS: busy / hz,
        stealShare: all > 0 ? steal / all : NaN,
      };
    },
  };
}
