import type { TestProject } from 'vitest/node';
import { startSwift, type S3TestConfig, type SwiftServer } from './swift.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3TestConfig;
  }
}

/**
 * One Swift for every project that lists this setup. Vitest runs each project's global setup in its own
 * module instance but in one process, so the shared server lives on globalThis; the last project to tear
 * down stops it. Projects of different groups never run at once, so they never see each other's uploads.
 */
const shared = globalThis as { ruSwift?: { server: Promise<SwiftServer>; users: number } };

/** Starts Swift s3api once for the whole run and hands its settings to the tests through inject('s3'). */
export default async function setup(project: TestProject) {
  const entry = (shared.ruSwift ??= { server: startSwift(), users: 0 });
  entry.users++;
  let swift: SwiftServer;
  try {
    swift = await entry.server;
  } catch (error) {
    // A failed start is not cached: the next project tries again and reports its own error.
    if (shared.ruSwift === entry) shared.ruSwift = undefined;
    throw error;
  }
  project.provide('s3', swift.config);
  return async () => {
    if (--entry.users > 0) return;
    if (shared.ruSwift === entry) shared.ruSwift = undefined;
    await swift.stop();
  };
}
