// One small driver interface over the three engines' automation protocols, so that every
// cross-engine case is written once: Playwright drives Chromium, puppeteer-core drives Firefox over
// WebDriver BiDi, and a fetch-based WebDriver client drives WebKitGTK's MiniBrowser.

/** The engines the cross-engine project runs, in the order it runs them. */
export const ENGINES = ['chromium', 'firefox', 'webkit'] as const;

/** One of the three browser engines. */
export type EngineName = (typeof ENGINES)[number];

/** A function run in the page with one JSON argument; its (awaited) JSON result comes back. */
export type PageFunction<A, R> = (arg: A) => R | Promise<R>;

/** One browser of one engine with one page: what every cross-engine case needs, and nothing more. */
export interface EngineDriver {
  readonly engine: EngineName;
  /** The browser's version, for the report. */
  readonly version: string;
  /** Navigates the page and waits for its load event. */
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page and returns its awaited result. */
  evaluate<A, R>(fn: PageFunction<A, R>, arg: A): Promise<R>;
  /** Sets files on disk on the `<input type=file>` that `selector` names (light DOM), firing its change event. */
  setFiles(selector: string, paths: string[]): Promise<void>;
  /** Console errors and uncaught errors seen since the last call (where the protocol reports them). */
  takeConsoleErrors(): Promise<string[]>;
  /** Reloads the page and waits for its load event. */
  reload(): Promise<void>;
  /** Goes back one page in the tab's history (from the back/forward cache where the engine keeps it). */
  back(): Promise<void>;
  /**
   * Closes the browser and starts it again on the same profile (a browser restart; the page is then
   * blank). Absent where the driver cannot keep a profile (WebKitWebDriver's MiniBrowser session is
   * ephemeral).
   */
  restart?(): Promise<void>;
  /** Closes the browser. */
  close(): Promise<void>;
}

/** Which engines to run: all, or those named in RU_ENGINES (comma-separated), e.g. RU_ENGINES=firefox. */
export function selectedEngines(env = process.env.RU_ENGINES): EngineName[] {
  if (!env) return [...ENGINES];
  const names = env.split(',').map((s) => s.trim().toLowerCase());
  const unknown = names.filter((n) => !(ENGINES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`RU_ENGINES: unknown engine ${unknown.join(', ')}`);
  return ENGINES.filter((e) => names.includes(e));
}
