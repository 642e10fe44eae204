import type { TestProject } from 'vitest/node';
import { startSwift, type S3TestConfig } from './swift.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3TestConfig;
  }
}

/** Starts one Swift s3api for the whole run and hands its settings to the tests through inject('s3'). */
export default async function setup(project: TestProject) {
  const swift = await startSwift();
  project.provide('s3', swift.config);
  return () => swift.stop();
}
