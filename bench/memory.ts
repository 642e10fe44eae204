import { readFile, readdir } from 'node:fs/promises';

/** Parent pid and command line of a process, or undefined when it is gone. */
async function procInfo(pid: number): Promise<{ ppid: number; cmdline: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
    return { ppid, cmdline };
  } catch {
    return undefined;
  }
}

/**
 * The renderer processes of the Chromium this Node process launched (descendants of our pid with
 * --type=renderer): other people's browsers on the machine are not counted. Dedicated workers live in them.
 */
export async function ourRenderers(): Promise<number[]> {
  const infos = new Map<number, { ppid: number; cmdline: string }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = await procInfo(Number(name));
    if (info) infos.set(Number(name), info);
  }
  const descends = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === process.pid) return true;
      p = infos.get(p)?.ppid ?? 0;
    }
    return false;
  };
  return [...infos]
    .filter(([pid, info]) => info.cmdline.includes('--type=renderer') && descends(pid))
    .map(([pid]) => pid);
}

/** Private resident memory (RssAnon): what the renderer itself holds, not shared file or blob pages. */
async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`${process.env.BENCH_RSS_FIELD ?? 'RssAnon'}:\\s+(\\d+) kB`).exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the summed RSS of `pids` every `intervalMs` until stop(), which returns the peak rise over the start. */
export function sampleRss(pids: number[], intervalMs = 100): { stop(): Promise<number> } {
  let peak = 0;
  let baseline: number | undefined;
  const sample = async () => {
    const total = (await Promise.all(pids.map(rssBytes))).reduce((a, b) => a + b, 0);
    baseline ??= total;
    peak = Math.max(peak, total);
  };
  const first = sample();
  const timer = setInterval(() => void sample(), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await first;
      await sample();
      return Math.max(0, peak - (baseline ?? peak));
    },
  };
}
