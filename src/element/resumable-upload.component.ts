import { repeat } from 'lit/directives/repeat.js';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type {
  BackendAdapter,
  PendingUpload,
  UploaderApi,
  UploadSnapshot,
} from '../engine/types.ts';
import { isActivePhase } from '../engine/phases.ts';
import { withRelativePath } from '../engine/records.ts';
import { droppedFiles, pickFiles } from './file-picker.ts';
import { pickFolder } from './folder-walk.ts';
import { formatBytes, formatDuration, formatPercent, formatPlural, formatSpeed } from './format.ts';
import { deprecatedAutoStart, FormValueController } from './form-value.ts';
import { rejectionReason } from './limits.ts';
import { LocaleController } from './locale.ts';
import { PasteController } from './paste.ts';
import { onUnlessOff, ThumbnailController } from './thumbnails.ts';
import type { ElementSettings } from './options.ts';
import { styles } from './resumable-upload.styles.ts';
import { featureStyles } from './features.styles.ts';
import { fill, mergeStrings, type UploadStrings, type UploadStringsOverride } from './strings.ts';
import { UploadController, type EngineFactory, type Notice } from './upload-controller.ts';

type ActionButton = (
  part: string,
  label: string,
  aria: string,
  onClick: () => void,
  cls?: string,
) => TemplateResult;

/**
 * Create refusals of the file itself or of the page's settings (src/protocol/errors.ts): the same
 * request is refused again, so these failures get no Retry button. Nor do a file that changed on disk
 * or can no longer be read: Chromium keeps refusing a File whose file was modified after it was
 * picked, so only choosing it again (a new File) helps, as their messages say.
 */
const NOT_RETRYABLE = new Set([
  'file-changed',
  'file-unreadable',
  'invalid-json',
  'invalid-request',
  'payload-too-large',
  'file-too-large',
  'file-too-small',
  'invalid-relative-path',
  'invalid-part-size',
  'content-type-not-allowed',
  'invalid-file-name',
  'unknown-callback-target',
  'invalid-callback-variable',
]);

/**
 * A drop zone and a list of resumable multipart uploads to S3-compatible storage. Files are cut
 * into parts, hashed in a worker, sent straight to the store through presigned URLs, and saved in
 * IndexedDB so an upload continues after a reload. Form-associated: its value is the uploaded
 * object keys under `name`, and a form cannot be submitted while an upload runs.
 *
 * @summary Resumable multipart uploads to S3-compatible storage.
 *
 * @fires {CustomEvent<{ upload: UploadSnapshot }>} upload-added - A file was accepted and listed.
 * @fires {CustomEvent<{ file: { name: string; size: number; type: string }; code: string; message: string }>} upload-rejected - A file was refused before any request (too large or small, wrong type, too many files, over the total).
 * @fires {CustomEvent<{ upload: UploadSnapshot; overall: OverallProgress }>} upload-progress - Bytes moved.
 * @fires {CustomEvent<{ upload: UploadSnapshot; partNumber: number; size: number; etag: string }>} upload-part - One part was stored.
 * @fires {CustomEvent<{ upload: UploadSnapshot }>} upload-paused - An upload was paused.
 * @fires {CustomEvent<{ upload: UploadSnapshot }>} upload-resumed - A paused or saved upload continued.
 * @fires {CustomEvent<{ upload: UploadSnapshot; result: CompleteUploadResponse }>} upload-success - The object is complete (key, ETag, size, location, the callback's answer).
 * @fires {CustomEvent<{ upload: UploadSnapshot; code: string; message: string }>} upload-error - An upload failed; `code` is stable, `upload.name` names the file.
 * @fires {CustomEvent<{ upload: UploadSnapshot }>} upload-aborted - An upload was cancelled and the store dropped its parts.
 * @fires {CustomEvent<{ reason: string }>} upload-resume-unavailable - Progress cannot be saved in this browser: no resume after a reload.
 * @fires {CustomEvent<{ pending: PendingUpload; reason: 'file-changed' }>} upload-discarded - A saved unfinished upload was aborted on the store and removed from "Unfinished uploads": its file (same name and size) was chosen again with another modification date.
 * @fires {Event} change - The value (the finished object keys) changed, as an `<input>`'s change (bubbles, not composed).
 * @fires {Event} input - Bytes moved (with every upload-progress), as an `<input>`'s input (bubbles, composed).
 *
 * @slot drop-zone - Content of the drop zone (default: an icon and "Drop files here or choose files").
 * @slot empty - Shown while there is no upload, unfinished ones included (default: "No uploads yet.").
 *
 * @csspart base - The wrapper of everything.
 * @csspart drop-zone - The drop zone, a button that opens the file picker.
 * @csspart drop-zone-label - The drop zone's main text.
 * @csspart drop-zone-hint - The drop zone's second line.
 * @csspart empty - The empty-state paragraph.
 * @csspart warning - The "cannot save progress" warning.
 * @csspart notices - The list of messages about files not added.
 * @csspart notice - One such message.
 * @csspart pending - The box of unfinished uploads from an earlier visit.
 * @csspart pending-heading - Its title.
 * @csspart pending-item - One unfinished upload.
 * @csspart controls - The buttons acting on every upload.
 * @csspart list - The list of uploads.
 * @csspart item - One upload (also `item-<phase>`, e.g. `item-failed`).
 * @csspart thumbnail - The preview of an image file (`thumbnails="off"` turns them off).
 * @csspart name - A file's name (its path inside the folder for files from a folder).
 * @csspart size - A file's size.
 * @csspart state - A file's state text.
 * @csspart progress - The progress bar's track (role=progressbar).
 * @csspart progress-indicator - The progress bar's filled part.
 * @csspart details - Progress figures: percent, bytes, speed, time left.
 * @csspart actions - A file's buttons.
 * @csspart error - A failed file's explanation (a refusal that a retry cannot fix has no Retry button).
 * @csspart callback-warning - A stored file whose callback to the application failed (not an upload failure).
 * @csspart folder-button - The "Choose a folder" button (with `multiple`; also `button`).
 * @csspart button - Every button but the drop zone (also `folder-button`, `pause-button`, `resume-button`, `cancel-button`, `retry-button`, `retry-all-button`, `remove-button`, `start-button`, `resume-pending-button`, `choose-pending-button`, `discard-button`, `dismiss-button`).
 * @csspart status - The polite live region (visually hidden).
 *
 * @cssproperty --ru-font-family - Font of everything.
 * @cssproperty --ru-font-size - Base font size (0.9375rem).
 * @cssproperty --ru-spacing - Base gap and padding (0.75rem).
 * @cssproperty --ru-radius - Corner radius (0.625rem).
 * @cssproperty --ru-color-text - Text colour.
 * @cssproperty --ru-color-muted - Secondary text colour.
 * @cssproperty --ru-color-background - Background of list items.
 * @cssproperty --ru-color-surface - Background of the drop zone and buttons.
 * @cssproperty --ru-color-border - Borders.
 * @cssproperty --ru-color-accent - Progress, focus and highlights.
 * @cssproperty --ru-color-accent-contrast - Text on the accent colour.
 * @cssproperty --ru-color-success - Finished uploads.
 * @cssproperty --ru-color-danger - Failures and rejected files.
 * @cssproperty --ru-color-warning - Warnings.
 * @cssproperty --ru-color-track - The progress bar's track.
 * @cssproperty --ru-focus-ring - Extra box-shadow around focused controls.
 * @cssproperty --ru-transition - Duration and easing of hover and progress transitions.
 */
export class ResumableUpload extends LitElement {
  static override styles = [styles, featureStyles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  /** Makes the element a form control (ElementInternals). */
  static formAssociated = true;

  /**
   * Builds each element's engine. The define entry (resumable-upload.ts) sets the default `Uploader`;
   * the class alone stays engine-free so tests and custom engines can supply their own.
   */
  static createEngine: EngineFactory = () => {
    throw new Error(
      'ResumableUpload.createEngine is not set: import "resumable-upload" (the define entry).',
    );
  };

  static override properties = {
    endpoint: { type: String },
    multiple: { type: Boolean, reflect: true },
    accept: { type: String },
    maxFileSize: { attribute: 'max-file-size' },
    partSize: { attribute: 'part-size' },
    opfsCopyMaxSize: { attribute: 'opfs-copy-max-size' },
    concurrency: {},
    maxFiles: { attribute: 'max-files' },
    minFileSize: { attribute: 'min-file-size' },
    maxTotalSize: { attribute: 'max-total-size' },
    manual: { type: Boolean, reflect: true },
    autoStart: { attribute: 'auto-start', converter: deprecatedAutoStart, noAccessor: true },
    disabled: { type: Boolean, reflect: true },
    callbackTarget: { type: String, attribute: 'callback-target' },
    paste: { type: String, reflect: true },
    keepSystemFiles: { type: Boolean, attribute: 'keep-system-files' },
    thumbnails: { converter: onUnlessOff, reflect: true },
    thumbnailMaxSize: { attribute: 'thumbnail-max-size' },
    name: { type: String, reflect: true },
    metadata: { attribute: false },
    callbackVars: { attribute: false },
    backend: { attribute: false },
    strings: { attribute: false },
    dragging: { state: true, attribute: false },
    formDisabled: { state: true, attribute: false },
  };

  /** Base URL of the upload handler (default '/api/upload'). */
  endpoint = '';
  /** Allow choosing and dropping several files at once. */
  multiple = false;
  /** Accepted types, as for `<input accept>` ('.png,image/*'); others are rejected with a reason. */
  accept = '';
  /** Largest file in bytes, or with a unit ('100MB', '2GiB'); invalid: warning, no limit. */
  maxFileSize: string | number | null = null;
  /** Preferred part size ('8MiB'); invalid: warning and 8 MiB; clamped to 5 MiB..5 GiB. */
  partSize: string | number | null = null;
  /** Files without a handle up to this size ('100MiB', the default) are kept to resume after a restart; 0: off. */
  opfsCopyMaxSize: string | number | null = null;
  /** Parts in flight per file, 1..64 (the engine's bound); invalid: warning and 4. */
  concurrency: string | number | null = null;
  /** Most files in the list, unfinished ones included (cancelled ones do not count); more: `too-many-files`. */
  maxFiles: string | number | null = null;
  /** Smallest file in bytes, or with a unit ('1KB'); smaller: `file-too-small`. */
  minFileSize: string | number | null = null;
  /** Most bytes of the files in the list together ('2GB'); more: `total-too-large`. */
  maxTotalSize: string | number | null = null;
  /** List added files with a Start button instead of starting them. */
  manual = false;
  /** Refuses new files (uploads already running go on). */
  disabled = false;
  /** `document`: add files pasted anywhere on the page; otherwise only while the element has focus. */
  paste = '';
  /** Previews of image files in the list; the `thumbnails="off"` attribute turns them off. */
  thumbnails = true;
  /** Largest image that gets a thumbnail, bytes or with a unit (default 50 MB). */
  thumbnailMaxSize: string | number | null = null;
  /** Upload .DS_Store, Thumbs.db and the like found in folders (skipped by default). */
  keepSystemFiles = false;
  /** A callback target configured on the server, called when an upload completes. */
  callbackTarget = '';
  /** The form field name of the uploaded object keys. */
  name = '';
  /** Metadata stored with each object (string values). */
  metadata: Record<string, string> | null = null;
  /** `x:` variables for the callback target (string values). */
  callbackVars: Record<string, string> | null = null;
  /** A custom backend in place of the JSON client for `endpoint`. */
  backend: BackendAdapter | null = null;
  /** Replacement strings (any subset; English for the rest). */
  strings: UploadStringsOverride | null = null;

  private dragging = false;
  /** Disabled by the form (a disabled `<fieldset>`), kept apart so `disabled` stays the author's own. */
  private formDisabled = false;
  private readonly internals: ElementInternals;
  /** The language (own `lang`, an ancestor's, the document's) and its strings. */
  private readonly localization = new LocaleController(this);
  private readonly controller = new UploadController(this, {
    factory: () => ResumableUpload.createEngine,
    phaseChanged: (u) => this.announcePhase(u),
    noticeAdded: (n) =>
      this.controller.announce(
        fill(this.text.announceRejected, { name: n.name, reason: this.noticeReason(n) }),
      ),
    added: (pairs) => this.previews.track(pairs),
  });
  private readonly previews = new ThumbnailController(this);

  constructor() {
    super();
    this.internals = this.attachInternals();
    new FormValueController(this, this.internals, () => ({
      message: this.text.validityUploading,
      anchor: this.renderRoot.querySelector<HTMLElement>('.drop-zone') ?? undefined,
    }));
    new PasteController(this, (files) => this.addGiven(files));
  }

  /** Start uploads as soon as files are added: the opposite of `manual` (`auto-start="false"` is deprecated). */
  get autoStart(): boolean {
    return !this.manual;
  }

  set autoStart(value: boolean) {
    this.manual = !value;
  }

  /** The engine behind the element, for anything the UI does not offer. */
  get engine(): UploaderApi {
    return this.controller.api;
  }

  /** Every upload in the list (plain snapshots). */
  get uploads(): UploadSnapshot[] {
    return this.controller.uploads;
  }

  /** The object keys of the finished uploads (the form value). */
  get value(): string[] {
    return this.controller.uploads.filter((u) => u.phase === 'done' && u.key).map((u) => u.key!);
  }

  /**
   * The value is what the uploads stored, so a write is ignored (as a file input keeps its files): Vue's
   * `v-model` writes it on mount and after each `change`, and reads it back from the element.
   */
  set value(_ignored: unknown) {}

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /**
   * Adds files as if chosen (the same checks and events); with their FileSystemFileHandles, the
   * upload can resume after a reload without choosing the file again.
   */
  addFiles(
    files: Iterable<File> | ArrayLike<File>,
    handles?: FileSystemFileHandle[],
  ): UploadSnapshot[] {
    return this.controller.add(Array.from(files), handles);
  }

  /** Opens the file picker (call from a user gesture). */
  async browse(): Promise<void> {
    if (this.refusesFiles) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) return;
    const picked = await pickFiles(input, { multiple: this.multiple, accept: this.accept });
    if (picked) this.controller.add(picked.files, picked.handles);
  }

  /** Opens the folder picker (call from a user gesture); every file in it is added with its path. */
  async browseFolder(): Promise<void> {
    if (this.refusesFiles) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>('input.folder-input');
    const picked = input && (await pickFolder(input, { systemFiles: this.keepSystemFiles }));
    if (picked) this.controller.add(picked.files, picked.handles);
  }

  /** Settings read by the controller. */
  uploadSettings(): ElementSettings {
    return {
      endpoint: this.endpoint ?? '',
      accept: this.accept ?? '',
      maxFileSize: this.maxFileSize,
      minFileSize: this.minFileSize,
      maxTotalSize: this.maxTotalSize,
      maxFiles: this.maxFiles,
      partSize: this.partSize,
      opfsCopyMaxSize: this.opfsCopyMaxSize,
      concurrency: this.concurrency,
      autoStart: this.autoStart,
      callbackTarget: this.callbackTarget ?? '',
      metadata: this.metadata,
      callbackVars: this.callbackVars,
      backend: this.backend,
    };
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  formResetCallback(): void {
    this.controller.clearFinished();
  }

  /** Also waits for the strings of the element's language (a locale module loads on first use). */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.localization.ready;
    return super.getUpdateComplete();
  }

  /** The `disabled` attribute or a disabled `<fieldset>` around the element. */
  private get refusesFiles(): boolean {
    return this.disabled || this.formDisabled;
  }

  private get text(): UploadStrings {
    return mergeStrings(this.strings, this.localization.strings);
  }

  /** The locale numbers are formatted in. */
  private get locale(): string {
    return this.localization.locale;
  }

  private announcePhase(u: UploadSnapshot): void {
    const t = this.text;
    let message: string;
    if (u.phase === 'done') {
      message = fill(t.announceDone, { name: u.name });
      const warning = this.callbackWarning(u);
      if (warning) message += ` ${warning}`;
    } else if (u.phase === 'failed')
      message = fill(t.announceFailed, { name: u.name, message: this.errorText(u) });
    else if (u.phase === 'waiting') message = fill(t.announceAdded, { name: u.name });
    else message = fill(t.announcePhase, { name: u.name, phase: t.phases[u.phase] });
    this.controller.announce(message);
  }

  /** The plain-words warning for a stored file whose callback failed, or '' when there is none. */
  private callbackWarning(u: UploadSnapshot): string {
    const callback = u.result?.callback;
    if (u.phase !== 'done' || callback?.status !== 'failed') return '';
    const t = this.text;
    const reason = t.callbackReasons[callback.reason] ?? callback.reason;
    return fill(t.callbackFailed, { name: u.name, reason });
  }

  /** A failed upload that another attempt may finish. */
  private canRetry(u: UploadSnapshot): boolean {
    return u.phase === 'failed' && !NOT_RETRYABLE.has(u.error?.code ?? '');
  }

  private retryAll(): void {
    for (const u of this.controller.uploads) if (this.canRetry(u)) this.controller.retry(u.id);
  }

  private errorText(u: UploadSnapshot): string {
    const t = this.text;
    const code = u.error?.code ?? '';
    return t.errors[code] ?? fill(t.errorOther, { message: u.error?.message ?? code });
  }

  private noticeReason(n: Notice): string {
    return rejectionReason(n, this.text, this, this.locale);
  }

  private onDragOver(e: DragEvent): void {
    if (this.refusesFiles || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private onDragLeave(): void {
    this.dragging = false;
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragging = false;
    if (this.refusesFiles || !e.dataTransfer) return;
    // Synchronously, within the event: the drop's items are emptied once it returns.
    void droppedFiles(e.dataTransfer, { systemFiles: this.keepSystemFiles }).then(
      ({ files, handles }) => {
        if (files.length) this.addGiven(files, handles);
      },
    );
  }

  /** Adds dropped or pasted files: the first one only without `multiple`; false when refusing files. */
  private addGiven(files: File[], handles?: FileSystemFileHandle[]): boolean {
    if (this.refusesFiles) return false;
    const count = this.multiple ? files.length : 1;
    this.controller.add(files.slice(0, count), handles?.slice(0, count));
    return true;
  }

  private async choosePending(item: PendingUpload): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type=file]');
    if (!input) return;
    const picked = await pickFiles(input, { multiple: false, accept: '' });
    const file = picked?.files[0];
    if (!file) return;
    if (
      file.name !== item.name ||
      file.size !== item.size ||
      file.lastModified !== item.lastModified
    ) {
      this.controller.notify(
        file.name,
        'not-the-same-file',
        fill(this.text.notSameFile, {
          name: item.name,
          size: formatBytes(item.size, this.locale),
        }),
      );
      return;
    }
    this.controller.add([withRelativePath(file, item.relativePath)], picked?.handles);
  }

  override render(): TemplateResult {
    const t = this.text;
    const uploads = this.controller.uploads;
    return html`
      <div part="base" class="base">
        <button
          part="drop-zone"
          class="drop-zone ${this.dragging ? 'dragging' : ''}"
          type="button"
          ?disabled=${this.refusesFiles}
          @click=${() => void this.browse()}
          @dragenter=${this.onDragOver}
          @dragover=${this.onDragOver}
          @dragleave=${this.onDragLeave}
          @drop=${this.onDrop}
        >
          <slot name="drop-zone">
            <svg
              class="drop-zone-icon"
              viewBox="0 0 24 24"
              aria-hidden="true"
              fill="none"
              stroke="currentColor"
              stroke-width="1.8"
              stroke-linecap="round"
              stroke-linejoin="round"
            >
              <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5" />
              <path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
            </svg>
            <span part="drop-zone-label" class="drop-zone-label"
              >${this.dragging ? t.dropZoneActive : t.dropZone}</span
            >
          </slot>
          <span part="drop-zone-hint" class="drop-zone-hint"
            >${this.multiple ? t.dropZoneHintMultiple : t.dropZoneHint}</span
          >
        </button>
        <input
          type="file"
          hidden
          tabindex="-1"
          aria-hidden="true"
          ?multiple=${this.multiple}
          accept=${this.accept || nothing}
        />
        ${
          this.multiple
            ? html`<button
                  part="button folder-button"
                  class="button folder-button"
                  type="button"
                  ?disabled=${this.refusesFiles}
                  @click=${() => void this.browseFolder()}
                >
                  ${t.chooseFolder}
                </button>
                <input
                  class="folder-input"
                  type="file"
                  hidden
                  tabindex="-1"
                  aria-hidden="true"
                  webkitdirectory
                />`
            : nothing
        }
        ${
          this.controller.resumeUnavailable
            ? html`<p part="warning" class="warning">
                ${fill(t.resumeUnavailable, {
                  // The browser's reason goes inside parentheses: no sentence stop of its own.
                  reason: this.controller.resumeUnavailable.replace(/[.\s]+$/, ''),
                })}
              </p>`
            : nothing
        }
        ${this.renderNotices(t)} ${this.renderPending(t)}
        ${
          uploads.length
            ? this.renderList(t, uploads)
            : this.controller.pending.length
              ? nothing
              : html`<p part="empty" class="empty"><slot name="empty">${t.empty}</slot></p>`
        }
        <div part="status" class="sr-only" role="status" aria-live="polite">
          ${this.controller.announcement}
        </div>
      </div>
    `;
  }

  private renderNotices(t: UploadStrings): TemplateResult | typeof nothing {
    const notices = this.controller.notices;
    if (!notices.length) return nothing;
    return html`<ul part="notices" class="notices" aria-label=${t.rejectedHeading}>
      ${notices.map(
        (n) =>
          html`<li part="notice" class="notice">
            <span class="notice-text"
              >${fill(t.rejected, { name: n.name, reason: this.noticeReason(n) })}</span
            >
            <button
              part="button dismiss-button"
              class="button"
              type="button"
              aria-label=${fill(t.dismissRejected, { name: n.name })}
              @click=${() => this.controller.dismiss(n.id)}
            >
              ${t.dismiss}
            </button>
          </li>`,
      )}
    </ul>`;
  }

  private renderPending(t: UploadStrings): TemplateResult | typeof nothing {
    const pending = this.controller.pending;
    if (!pending.length) return nothing;
    return html`<div part="pending" class="pending" role="group" aria-labelledby="pending-heading">
      <p part="pending-heading" class="pending-heading" id="pending-heading">
        ${formatPlural(t.pendingHeading, pending.length, this.locale)}
      </p>
      <p class="pending-intro">${t.pendingIntro}</p>
      <ul class="pending-list">
        ${pending.map(
          (p) =>
            html`<li part="pending-item" class="pending-item" data-id=${p.id}>
              <span class="pending-text">
                <span part="name" class="name" title=${p.name}>${p.name}</span>
                <span class="pending-details"
                  >${fill(t.pendingProgress, {
                    done: formatBytes(p.bytesDone, this.locale),
                    total: formatBytes(p.size, this.locale),
                  })}</span
                >
              </span>
              ${
                p.hasHandle
                  ? html`<button
                      part="button resume-pending-button"
                      class="button primary"
                      type="button"
                      ?disabled=${this.refusesFiles}
                      aria-label=${fill(t.resumePendingFile, { name: p.name })}
                      @click=${() => this.controller.resumePending(p)}
                    >
                      ${t.resumePending}
                    </button>`
                  : html`<button
                      part="button choose-pending-button"
                      class="button primary"
                      type="button"
                      ?disabled=${this.refusesFiles}
                      aria-label=${fill(t.choosePendingFileLabel, { name: p.name })}
                      @click=${() => void this.choosePending(p)}
                    >
                      ${t.choosePendingFile}
                    </button>`
              }
              <button
                part="button discard-button"
                class="button danger"
                type="button"
                aria-label=${fill(t.discardPendingFile, { name: p.name })}
                @click=${() => this.controller.discardPending(p)}
              >
                ${t.discardPending}
              </button>
            </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderList(t: UploadStrings, uploads: UploadSnapshot[]): TemplateResult {
    const running = uploads.some((u) => ['waiting', 'hashing', 'uploading'].includes(u.phase));
    const paused = uploads.some((u) => u.phase === 'paused');
    const retryable = uploads.some((u) => this.canRetry(u));
    const cancellable = uploads.some((u) => isActivePhase(u.phase) || u.phase === 'failed');
    const unstarted = !this.autoStart && uploads.some((u) => u.phase === 'waiting');
    const finished = uploads.some((u) => u.phase === 'done' || u.phase === 'aborted');
    const button = (part: string, label: string, onClick: () => void, cls = '') =>
      html`<button part="button ${part}" class="button ${cls}" type="button" @click=${onClick}>
        ${label}
      </button>`;
    return html`
      <div part="controls" class="controls">
        ${unstarted ? button('start-button', t.startAll, () => this.controller.start(), 'primary') : nothing}
        ${running ? button('pause-button', t.pauseAll, () => this.controller.pause()) : nothing}
        ${paused ? button('resume-button', t.resumeAll, () => this.controller.resume()) : nothing}
        ${retryable ? button('retry-button retry-all-button', t.retryAll, () => this.retryAll(), 'primary') : nothing}
        ${cancellable ? button('cancel-button', t.cancelAll, () => void this.controller.cancel(), 'danger') : nothing}
        ${finished ? button('remove-button', t.clearFinished, () => this.controller.clearFinished()) : nothing}
      </div>
      <ul part="list" class="list" aria-label=${t.listLabel}>
        ${repeat(
          uploads,
          (u) => u.id,
          (u) => this.renderItem(t, u),
        )}
      </ul>
    `;
  }

  /**
   * The first button of a file: start, pause, resume or retry (none for a refusal a retry cannot
   * fix). One slot for all four, so the button element stays the same and keeps the keyboard focus
   * when its action changes.
   */
  private mainAction(
    t: UploadStrings,
    u: UploadSnapshot,
    act: ActionButton,
  ): TemplateResult | typeof nothing {
    const id = u.id;
    if (!this.autoStart && u.phase === 'waiting') {
      return act('start-button', t.start, t.startFile, () => this.controller.start(id), 'primary');
    }
    if (u.phase === 'waiting' || u.phase === 'hashing' || u.phase === 'uploading') {
      return act('pause-button', t.pause, t.pauseFile, () => this.controller.pause(id));
    }
    if (u.phase === 'paused') {
      return act(
        'resume-button',
        t.resume,
        t.resumeFile,
        () => this.controller.resume(id),
        'primary',
      );
    }
    if (this.canRetry(u)) {
      return act('retry-button', t.retry, t.retryFile, () => this.controller.retry(id), 'primary');
    }
    return nothing;
  }

  /** The second button of a file: cancel while it can be cancelled, then remove (one slot, as above). */
  private secondAction(
    t: UploadStrings,
    u: UploadSnapshot,
    act: ActionButton,
  ): TemplateResult | typeof nothing {
    if (isActivePhase(u.phase) || u.phase === 'failed') {
      return act(
        'cancel-button',
        t.cancel,
        t.cancelFile,
        () => void this.controller.cancel(u.id),
        'danger',
      );
    }
    return act('remove-button', t.remove, t.removeFile, () => this.controller.remove(u.id));
  }

  private renderItem(t: UploadStrings, u: UploadSnapshot): TemplateResult {
    const percent = Math.floor(u.progress * 100);
    const progressText = fill(t.progressText, {
      percent: formatPercent(u.progress, this.locale),
      done: formatBytes(u.bytesUploaded, this.locale),
      total: formatBytes(u.size, this.locale),
    });
    const moving = u.phase === 'uploading' && u.speed > 0;
    const details = [progressText];
    if (moving) details.push(fill(t.speed, { speed: formatSpeed(u.speed, this.locale) }));
    if (moving && u.eta != null) {
      details.push(fill(t.eta, { eta: formatDuration(u.eta, this.locale) }));
    }
    const name = { name: u.name };
    const act: ActionButton = (part, label, aria, onClick, cls = '') =>
      html`<button
        part="button ${part}"
        class="button ${cls}"
        type="button"
        aria-label=${fill(aria, name)}
        @click=${onClick}
      >
        ${label}
      </button>`;
    const thumbnail = this.previews.url(u.id);
    return html`<li
      part="item item-${u.phase}"
      class="item"
      data-phase=${u.phase}
      data-id=${u.id}
      data-thumbnail=${this.previews.state(u.id) ?? nothing}
    >
      <div class="row">
        ${thumbnail ? html`<img part="thumbnail" class="thumbnail" src=${thumbnail} alt="" />` : nothing}
        <span part="name" class="name" title=${u.relativePath ?? u.name}
          >${u.relativePath ?? u.name}</span
        >
        <span part="size" class="size">${formatBytes(u.size, this.locale)}</span>
        ${u.resumed ? html`<span class="badge">${t.resumedBadge}</span>` : nothing}
        <span part="state" class="state">${t.phases[u.phase]}</span>
      </div>
      <div
        part="progress"
        class="progress"
        role="progressbar"
        aria-label=${u.name}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${percent}
        aria-valuetext=${`${progressText}, ${t.phases[u.phase]}`}
      >
        <div
          part="progress-indicator"
          class="progress-indicator"
          style="inline-size: ${u.progress * 100}%"
        ></div>
      </div>
      <div class="row">
        <span part="details" class="details">${details.join(' · ')}</span>
        <span part="actions" class="actions">
          ${this.mainAction(t, u, act)} ${this.secondAction(t, u, act)}
        </span>
      </div>
      ${
        u.phase === 'failed'
          ? html`<p part="error" class="error">${fill(t.errorIntro, name)} ${this.errorText(u)}</p>`
          : nothing
      }
      ${
        this.callbackWarning(u)
          ? html`<p part="callback-warning" class="warning">${this.callbackWarning(u)}</p>`
          : nothing
      }
    </li>`;
  }
}
