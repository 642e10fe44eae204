import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type {
  BackendAdapter,
  PendingUpload,
  UploaderApi,
  UploadSnapshot,
} from '../engine/types.ts';
import { renderDropZone } from './drop-zone.ts';
import { FileIntake } from './file-intake.ts';
import { formatBytes } from './format.ts';
import { deprecatedAutoStart, FormValueController } from './form-value.ts';
import { rejectionReason } from './limits.ts';
import { LocaleController } from './locale.ts';
import { phaseAnnouncement } from './messages.ts';
import { renderNotices } from './notice-list.ts';
import { PasteController } from './paste.ts';
import { renderPending } from './pending-list.ts';
import { onUnlessOff, ThumbnailController } from './thumbnails.ts';
import type { ElementSettings } from './options.ts';
import { styles } from './resumable-upload.styles.ts';
import { featureStyles } from './features.styles.ts';
import { fill, mergeStrings, type UploadStrings, type UploadStringsOverride } from './strings.ts';
import { UploadController, type EngineFactory, type Notice } from './upload-controller.ts';
import { renderList } from './upload-list.ts';
import type { ElementView } from './view.ts';

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

  /** Disabled by the form (a disabled `<fieldset>`), kept apart so `disabled` stays the author's own. */
  private formDisabled = false;
  private readonly internals: ElementInternals;
  /** The language (own `lang`, an ancestor's, the document's) and its strings. */
  private readonly localization = new LocaleController(this);
  private readonly controller = new UploadController(this, {
    factory: () => ResumableUpload.createEngine,
    phaseChanged: (u) => this.controller.announce(phaseAnnouncement(this.text, u)),
    noticeAdded: (n) =>
      this.controller.announce(
        fill(this.text.announceRejected, { name: n.name, reason: this.noticeReason(n) }),
      ),
    added: (pairs) => this.previews.track(pairs),
  });
  private readonly previews = new ThumbnailController(this);
  private readonly intake = new FileIntake(this, {
    refuses: () => this.refusesFiles,
    add: (files, handles) => void this.controller.add(files, handles),
    notSameFile: (file, item) => this.notSameFile(file, item),
    choosing: () => this.controller.warm(),
  });

  constructor() {
    super();
    this.internals = this.attachInternals();
    new FormValueController(this, this.internals, () => ({
      message: this.text.validityUploading,
      anchor: this.renderRoot.querySelector<HTMLElement>('.drop-zone') ?? undefined,
    }));
    new PasteController(this, (files) => this.intake.addGiven(files));
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
    await this.intake.browse();
  }

  /** Opens the folder picker (call from a user gesture); every file in it is added with its path. */
  async browseFolder(): Promise<void> {
    await this.intake.browseFolder();
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

  private noticeReason(n: Notice): string {
    return rejectionReason(n, this.text, this, this.locale);
  }

  private notSameFile(file: File, item: PendingUpload): void {
    this.controller.notify(
      file.name,
      'not-the-same-file',
      fill(this.text.notSameFile, { name: item.name, size: formatBytes(item.size, this.locale) }),
    );
  }

  override render(): TemplateResult {
    const view: ElementView = {
      t: this.text,
      locale: this.locale,
      multiple: this.multiple,
      accept: this.accept,
      autoStart: this.autoStart,
      refusesFiles: this.refusesFiles,
      controller: this.controller,
      intake: this.intake,
      previews: this.previews,
      noticeReason: (n) => this.noticeReason(n),
    };
    const { t, controller } = view;
    const uploads = controller.uploads;
    return html`
      <div part="base" class="base">
        ${renderDropZone(view)}
        ${
          controller.resumeUnavailable
            ? html`<p part="warning" class="warning">
                ${fill(t.resumeUnavailable, {
                  // The browser's reason goes inside parentheses: no sentence stop of its own.
                  reason: controller.resumeUnavailable.replace(/[.\s]+$/, ''),
                })}
              </p>`
            : nothing
        }
        ${renderNotices(view)} ${renderPending(view)}
        ${
          uploads.length
            ? renderList(view, uploads)
            : controller.pending.length
              ? nothing
              : html`<p part="empty" class="empty"><slot name="empty">${t.empty}</slot></p>`
        }
        <div part="status" class="sr-only" role="status" aria-live="polite">
          ${controller.announcement}
        </div>
      </div>
    `;
  }
}
