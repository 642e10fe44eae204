/**
 * The demo server (src/cli/serve.ts, what `npm start` runs after its build) as a child process, for
 * tests that kill a server with SIGKILL or run several: it is its own process group's leader, and
 * it runs the sources through tsx, so no build is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT = 60_000;

/** A running server process. */
export interface ServerProcess {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output: { text: string };
  /** Signals its process group and resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Settings the test runner's own environment must not leak into the server. */
const LEAKING = /^(S3_|AWS_|VITEST|UPLOAD_|CALLBACK_|DEMO_CALLBACK$|CORS_ORIGINS$|HOST$|PORT$)/;

/** Starts `src/cli/serve.ts` with `env` on a free port; resolves once it prints its handler's URL. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!LEAKING.test(name)) clean[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/serve.ts'], {
    cwd: ROOT,
    env: { ...clean, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = { text: '' };
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // The group is gone already.
      }
    }
    await exited;
  };
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`the server printed no URL in ${START_TIMEOUT} ms:\n${output.text}`));
    }, START_TIMEOUT);
    child.stdout!.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
      const match = /^resumable-upload demo: (\S+)\/$/m.exec(output.text);
      if (match && /^ {2}upload handler: .*\n/m.test(output.text)) {
        clearTimeout(timer);
        resolveStart({ url: match[1]!, child, output, stop });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before its URL:\n${output.text}`));
    });
  });
}
