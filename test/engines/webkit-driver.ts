import { spawn, type ChildProcess } from 'node:child_process';
import { freePorts } from '../support/ports.ts';
import type { EngineDriver, PageFunction } from './driver.ts';

/** WebKitGTK's MiniBrowser (package webkit2gtk-driver brings it with WebKitWebDriver). */
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * WebKit features Safari ships switched on that WebKitGTK 2.50 leaves off (MiniBrowser --features=help):
 * navigator.storage (StorageAPI), storage.estimate() and the origin private file system (FileSystem).
 * Without them WebKitGTK has no navigator.storage at all, which no Safari user sees.
 */
const SAFARI_FEATURES = '+StorageAPI,+StorageAPIEstimate,+FileSystem';

/** Calls the WebDriver HTTP API; throws its error (name and message) when it answers one. */
async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  // A command that never answers fails with its name instead of holding the test to its timeout.
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  }).catch((error: unknown) => {
    throw new Error(`WebDriver ${method} ${path}: no answer (${String(error)})`);
  });
  const json = (await response.json()) as { value: T & { error?: string; message?: string } };
  if (!response.ok) {
    throw new Error(`WebDriver ${method} ${path}: ${json.value.error}: ${json.value.message}`);
  }
  return json.value;
}

async function waitReady(base: string, driver: ChildProcess): Promise<void> {
  // Polls the status endpoint: the driver answers as soon as it listens.
  for (;;) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
    try {
      const status = await call<{ ready: boolean }>(base, 'GET', '/status');
      if (status.ready) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * WebKitGTK through WebKitWebDriver (WebDriver classic over plain fetch: no client library needed
 * for the seven commands used). MiniBrowser needs an X display: `display` is the Xvfb the engines
 * project's setup started (test/support/xvfb.ts). WebDriver classic reports no console messages, so
 * errors are those the test page itself caught (window.__pageErrors: console.error, error and
 * unhandledrejection events).
 */
export async function launchWebKitDriver(display: string): Promise<EngineDriver> {
  const [port] = await freePorts(1);
  const driver = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
    env: { ...process.env, DISPLAY: display },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  let sessionId = '';
  try {
    await waitReady(base, driver);
    const session = await call<{ sessionId: string; capabilities: { browserVersion: string } }>(
      base,
      'POST',
      '/session',
      {
        capabilities: {
          alwaysMatch: {
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': {
              binary: MINIBROWSER,
              args: ['--automation', `--features=${SAFARI_FEATURES}`],
            },
          },
        },
      },
    );
    sessionId = session.sessionId;
    const s = `/session/${sessionId}`;
    // Uploads of 40 MiB on a loaded machine take a while; the default script timeout is 30 s.
    await call(base, 'POST', `${s}/timeouts`, { script: 600_000, pageLoad: 120_000 });
    const evaluate = async <A, R>(fn: PageFunction<A, R>, arg: A): Promise<R> => {
      const script = `const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (${fn.toString()})(arguments[0])).then(
          (v) => done({ ok: v === undefined ? null : v }),
          (e) => done({ error: String(e) + ' | ' + String(e && e.stack) }));`;
      const result = await call<{ ok?: R; error?: string }>(base, 'POST', `${s}/execute/async`, {
        script,
        args: [arg ?? null],
      });
      if (result.error !== undefined) throw new Error(`in WebKit: ${result.error}`);
      return result.ok as R;
    };
    return {
      engine: 'webkit',
      version: session.capabilities.browserVersion,
      async goto(url) {
        await call(base, 'POST', `${s}/url`, { url });
      },
      evaluate,
      async setFiles(selector, paths) {
        const found = await call<Record<string, string>>(base, 'POST', `${s}/element`, {
          using: 'css selector',
          value: selector,
        });
        // The reference's key is the W3C one ('element-6066-...'); it is the object's only value.
        const id = Object.values(found)[0];
        // Element Send Keys with a path on a file input sets the file, one path a line.
        await call(base, 'POST', `${s}/element/${id}/value`, {
          text: paths.join('\n'),
        });
      },
      takeConsoleErrors: () =>
        evaluate(() => {
          const w = window as unknown as { __pageErrors?: string[] };
          return (w.__pageErrors ?? []).splice(0);
        }, null),
      async reload() {
        await call(base, 'POST', `${s}/refresh`, {});
      },
      async back() {
        await call(base, 'POST', `${s}/back`, {});
      },
      async close() {
        await call(base, 'DELETE', s).catch(() => {});
        driver.kill();
      },
    };
  } catch (error) {
    if (sessionId) await call(base, 'DELETE', `/session/${sessionId}`).catch(() => {});
    driver.kill();
    throw error;
  }
}
