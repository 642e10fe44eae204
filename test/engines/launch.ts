import { inject } from 'vitest';
import { launchChromiumDriver } from './chromium-driver.ts';
import type { EngineDriver, EngineName } from './driver.ts';
import { launchFirefoxDriver } from './firefox-driver.ts';
import { launchWebKitDriver } from './webkit-driver.ts';

/** Launches one browser of `engine` with one page. */
export function launchEngine(engine: EngineName): Promise<EngineDriver> {
  switch (engine) {
    case 'chromium':
      return launchChromiumDriver();
    case 'firefox':
      return launchFirefoxDriver();
    case 'webkit':
      return launchWebKitDriver(inject('display'));
  }
}
