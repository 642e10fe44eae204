import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  PendingUpload,
  UploaderApi,
  UploaderBehaviour,
  UploaderEventMap,
  UploaderOptions,
  UploadSnapshot,
} from '../engine/types.ts';
import { ELEMENT_EVENTS, emit, type ElementEventName } from './events.ts';
import { resolveOptions, type ElementSettings } from './options.ts';

/** Builds the engine for the element; replaceable (ResumableUpload.createEngine) for tests or custom engines. */
export type EngineFactory = (options: UploaderOptions & UploaderBehaviour) => UploaderApi;

/** What the controller needs from its element. */
export interface UploadHost extends ReactiveControllerHost, EventTarget {
  readonly isConnected: boolean;
  /** The current attribute and property values. */
  uploadSettings(): ElementSettings;
}

/** A message about one file shown above the list until dismissed (a rejected file, a failed resume). */
export interface Notice {
  id: number;
  name: string;
  code: string;
  message: string;
}

/** How the controller reaches back to its element. */
export interface ControllerHooks {
  /** The engine factory in force (read at each engine creation). */
  factory: () => EngineFactory;
  /** Called once per phase change of an upload (the element announces it). */
  phaseChanged: (upload: UploadSnapshot) => void;
  /** Called for every new notice (the element announces it). */
  noticeAdded: (notice: Notice) => void;
  /** Called with the files the engine listed, each with its upload's id (for thumbnails). */
  added?: (added: { id: string; file: File }[]) => void;
}

const backendIds = new WeakMap<object, number>();
let nextBackendId = 1;

function optionsKey(opts: UploaderOptions & UploaderBehaviour): string {
  const { backend, ...rest } = opts;
  if (backend && !backendIds.has(backend)) backendIds.set(backend, nextBackendId++);
  return JSON.stringify({ ...rest, backend: backend ? backendIds.get(backend) : 0 });
}

/**
 * Owns the element's engine: creates it from the element's settings once connected (and again when
 * the settings change while nothing is in flight), re-dispatches its events from the element, keeps
 * the pending and notice lists, and asks the element to render on every change.
 */
export class UploadController implements ReactiveController {
  /** Unfinished uploads saved by an earlier page, ready to resume. */
  pending: PendingUpload[] = [];
  /** Rejected files and failed resumes, newest last. */
  notices: Notice[] = [];
  /** Set when progress cannot be saved in this browser (the reason). */
  resumeUnavailable: string | null = null;
  /** The latest announcement for the live region. */
  announcement = '';

  private engine: UploaderApi | undefined;
  private engineKey = '';
  /** Finished uploads of engines replaced after a settings change. */
  private history: UploadSnapshot[] = [];
  private lastPhase = new Map<string, string>();
  private warned = new Set<string>();
  private nextNoticeId = 1;

  constructor(
    private readonly host: UploadHost,
    private readonly hooks: ControllerHooks,
  ) {
    host.addController(this);
  }

  /** Every upload shown in the list, oldest first. */
  get uploads(): UploadSnapshot[] {
    return [...this.history, ...(this.engine?.uploads ?? [])];
  }

  /** A person is choosing files: the engine starts a hash worker meanwhile (the first part then starts sooner). */
  warm(): void {
    if (this.host.isConnected) this.ensureEngine().warm?.();
  }

  /** The engine in use (created on demand). */
  get api(): UploaderApi {
    return this.ensureEngine();
  }

  hostConnected(): void {
    // Wait for the first update so properties set right after insertion (React, Vue) are included.
    void this.host.updateComplete.then(() => {
      if (this.host.isConnected) this.ensureEngine();
    });
  }

  hostDisconnected(): void {
    // A move in the DOM disconnects and reconnects in one task: only a real removal stops the engine.
    setTimeout(() => {
      if (!this.host.isConnected) this.dropEngine();
    });
  }

  hostUpdated(): void {
    if (!this.engine || !this.host.isConnected) return;
    const key = optionsKey(this.resolve());
    if (key !== this.engineKey) this.ensureEngine();
  }

  add(files: File[], handles?: FileSystemFileHandle[]): UploadSnapshot[] {
    const added = this.ensureEngine().add(files, handles ? { handles } : undefined);
    // The engine lists accepted files in order and skips refused ones: pair them up again.
    const pairs: { id: string; file: File }[] = [];
    let next = 0;
    for (const file of files) {
      const s = added[next];
      if (s && s.name === file.name && s.size === file.size) {
        pairs.push({ id: s.id, file });
        next++;
      }
    }
    this.hooks.added?.(pairs);
    return added;
  }

  start(id?: string): void {
    this.ensureEngine().start(id);
  }

  pause(id?: string): void {
    this.engine?.pause(id);
  }

  resume(id?: string): void {
    this.engine?.resume(id);
  }

  cancel(id?: string): Promise<void> {
    return this.engine ? this.engine.abort(id) : Promise.resolve();
  }

  retry(id: string): void {
    this.engine?.retry(id);
  }

  /** Forgets a finished, failed or cancelled upload from the list. */
  remove(id: string): void {
    const before = this.history.length;
    this.history = this.history.filter((u) => u.id !== id);
    if (this.history.length === before) this.engine?.remove(id);
    this.host.requestUpdate();
  }

  /** Forgets every finished and cancelled upload (failed ones stay: they can be retried). */
  clearFinished(): void {
    for (const u of this.uploads)
      if (u.phase === 'done' || u.phase === 'aborted') this.remove(u.id);
  }

  /** Resumes a saved upload from its stored handle; call it straight from the click (permission prompt). */
  resumePending(item: PendingUpload): void {
    const engine = this.ensureEngine();
    engine.resumePending(item.id).then(
      () => this.refreshPending(),
      (err: unknown) => {
        this.notify(item.name, 'resume-failed', errorMessage(err));
        void this.refreshPending();
      },
    );
  }

  discardPending(item: PendingUpload): void {
    this.pending = this.pending.filter((p) => p.id !== item.id);
    this.host.requestUpdate();
    this.ensureEngine()
      .discardPending(item.id)
      .catch((err: unknown) => this.notify(item.name, 'discard-failed', errorMessage(err)))
      .finally(() => void this.refreshPending());
  }

  /** Adds a notice shown above the list and announced. */
  notify(name: string, code: string, message: string): void {
    const notice = { id: this.nextNoticeId++, name, code, message };
    this.notices = [...this.notices, notice];
    this.hooks.noticeAdded(notice);
    this.host.requestUpdate();
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.host.requestUpdate();
  }

  /** Sets the live-region text; the element renders it. */
  announce(text: string): void {
    // A repeated message would not be read again: alternate a trailing no-break space.
    this.announcement = text === this.announcement.trimEnd() ? `${text}\u00a0` : text;
    this.host.requestUpdate();
  }

  async refreshPending(): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    try {
      const pending = await engine.listPending();
      if (engine === this.engine) this.pending = pending;
    } catch {
      this.pending = [];
    }
    this.host.requestUpdate();
  }

  private resolve(): UploaderOptions & UploaderBehaviour {
    return resolveOptions(this.host.uploadSettings(), (message) => this.warnOnce(message));
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    console.warn(`<resumable-upload>: ${message}`);
  }

  private ensureEngine(): UploaderApi {
    const opts = this.resolve();
    const key = optionsKey(opts);
    if (this.engine && key !== this.engineKey) {
      if (this.engine.uploads.every((u) => u.phase === 'done' || u.phase === 'aborted')) {
        this.history.push(...this.engine.uploads);
        this.dropEngine();
      } else {
        this.warnOnce('new settings apply once the uploads in the list have finished.');
      }
    }
    if (!this.engine) {
      let engine: UploaderApi;
      try {
        engine = this.hooks.factory()(opts);
      } catch (err) {
        // resolveOptions should make this impossible; fall back to the defaults rather than break.
        this.warnOnce(`the engine refused the settings (${errorMessage(err)}); using defaults.`);
        engine = this.hooks.factory()({ endpoint: opts.endpoint, backend: opts.backend });
      }
      for (const name of [...ELEMENT_EVENTS, 'upload-state', 'upload-pending']) {
        engine.addEventListener(name, this.onEngineEvent);
      }
      this.engine = engine;
      this.engineKey = key;
      void this.refreshPending();
    }
    return this.engine;
  }

  private dropEngine(): void {
    const engine = this.engine;
    if (!engine) return;
    for (const name of [...ELEMENT_EVENTS, 'upload-state', 'upload-pending']) {
      engine.removeEventListener(name, this.onEngineEvent);
    }
    this.engine = undefined;
    engine.destroy();
  }

  private onEngineEvent = (event: Event): void => {
    const type = event.type as keyof UploaderEventMap;
    const detail = (event as CustomEvent).detail as UploaderEventMap[typeof type];
    this.observe(type, detail);
    if ((ELEMENT_EVENTS as readonly string[]).includes(type)) {
      emit(this.host, type as ElementEventName, detail as never);
    }
    this.host.requestUpdate();
  };

  /** Keeps pending, notices and announcements in step with the engine. */
  private observe<K extends keyof UploaderEventMap>(type: K, detail: UploaderEventMap[K]): void {
    switch (type) {
      case 'upload-pending':
        this.pending = (detail as UploaderEventMap['upload-pending']).pending;
        break;
      case 'upload-rejected': {
        const d = detail as UploaderEventMap['upload-rejected'];
        this.notify(d.file.name, d.code, d.message);
        break;
      }
      case 'upload-resume-unavailable':
        this.resumeUnavailable = (detail as UploaderEventMap['upload-resume-unavailable']).reason;
        break;
      case 'upload-added':
      case 'upload-state':
      case 'upload-paused':
      case 'upload-resumed':
      case 'upload-success':
      case 'upload-error':
      case 'upload-aborted': {
        const upload = (detail as { upload: UploadSnapshot }).upload;
        if (this.lastPhase.get(upload.id) !== upload.phase) {
          this.lastPhase.set(upload.id, upload.phase);
          this.hooks.phaseChanged(upload);
        }
        // A resumed saved upload leaves the pending list.
        if (this.pending.some((p) => p.id === upload.id)) {
          this.pending = this.pending.filter((p) => p.id !== upload.id);
        }
        break;
      }
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
