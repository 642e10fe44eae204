import { spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The X display (":N") of the Xvfb started for WebKit's MiniBrowser. */
    display: string;
  }
}

/**
 * Starts a virtual X server for WebKitGTK's MiniBrowser, which needs a display even under
 * automation. `-displayfd` lets Xvfb pick a display number that is free and tell us which, so runs
 * of several engineers on one machine never collide. Stopped at the end of the run, and on exit.
 */
export default async function setup(project: TestProject) {
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'],
    {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    },
  );
  const stop = () => {
    if (xvfb.exitCode === null) xvfb.kill();
  };
  process.once('exit', stop);
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) =>
      reject(new Error(`Xvfb exited (${code}) before it gave a display`)),
    );
  });
  project.provide('display', display);
  return () => {
    process.off('exit', stop);
    stop();
  };
}
