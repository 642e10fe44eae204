import type { ReactiveControllerHost } from 'lit';
import { fileFingerprint, withRelativePath } from '../engine/records.ts';
import type { PendingUpload } from '../engine/types.ts';
import { droppedFiles, pickFiles } from './file-picker.ts';
import { pickFolder } from './folder-walk.ts';

/** What the intake reads from its element. */
export interface IntakeHost extends ReactiveControllerHost {
  readonly multiple: boolean;
  readonly accept: string;
  readonly keepSystemFiles: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** How the intake hands files to the element. */
export interface IntakeHooks {
  /** True while the element refuses new files (`disabled`, or a disabled `<fieldset>`). */
  refuses: () => boolean;
  /** Lists the files; with their handles, an upload can resume after a reload without a re-pick. */
  add: (files: File[], handles?: FileSystemFileHandle[]) => void;
  /** The file chosen for an unfinished upload is another file. */
  notSameFile: (file: File, item: PendingUpload) => void;
  /** A person started choosing files (picker opened, files dragged in): the engine may start its worker. */
  choosing: () => void;
}

/**
 * Whether a chosen file is the file of an unfinished upload, by the engine's own rule (its
 * fingerprint) with the upload's path in its folder; gives the file that path when it is.
 */
export function isPendingFile(file: File, item: PendingUpload): boolean {
  const saved = fileFingerprint({ ...item, webkitRelativePath: item.relativePath });
  return fileFingerprint(withRelativePath(file, item.relativePath)) === saved;
}

/**
 * Where files come in: the file and folder pickers, drag and drop on the drop zone, pastes (through
 * `addGiven`, from paste.ts), and the picker that finds the file of an unfinished upload again.
 */
export class FileIntake {
  /** Files are dragged over the drop zone. */
  dragging = false;

  constructor(
    private readonly host: IntakeHost,
    private readonly hooks: IntakeHooks,
  ) {}

  /** Opens the file picker (call from a user gesture). */
  async browse(): Promise<void> {
    if (this.hooks.refuses()) return;
    const input = this.fileInput();
    if (!input) return;
    this.hooks.choosing();
    const picked = await pickFiles(input, {
      multiple: this.host.multiple,
      accept: this.host.accept,
    });
    if (picked) this.hooks.add(picked.files, picked.handles);
  }

  /** Opens the folder picker (call from a user gesture); every file in it is added with its path. */
  async browseFolder(): Promise<void> {
    if (this.hooks.refuses()) return;
    const input = this.host.renderRoot.querySelector<HTMLInputElement>('input.folder-input');
    if (input) this.hooks.choosing();
    const picked = input && (await pickFolder(input, { systemFiles: this.host.keepSystemFiles }));
    if (picked) this.hooks.add(picked.files, picked.handles);
  }

  /** Adds dropped or pasted files: the first one only without `multiple`; false when refusing files. */
  addGiven = (files: File[], handles?: FileSystemFileHandle[]): boolean => {
    if (this.hooks.refuses()) return false;
    const count = this.host.multiple ? files.length : 1;
    this.hooks.add(files.slice(0, count), handles?.slice(0, count));
    return true;
  };

  /** Asks for the file of an unfinished upload that saved no handle, and lists it if it is that file. */
  async choosePending(item: PendingUpload): Promise<void> {
    const input = this.fileInput();
    if (!input) return;
    this.hooks.choosing();
    const picked = await pickFiles(input, { multiple: false, accept: '' });
    const file = picked?.files[0];
    if (!file) return;
    if (!isPendingFile(file, item)) {
      this.hooks.notSameFile(file, item);
      return;
    }
    this.hooks.add([file], picked?.handles);
  }

  onDragOver = (e: DragEvent): void => {
    if (this.hooks.refuses() || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (!this.dragging) this.hooks.choosing();
    this.setDragging(true);
  };

  onDragLeave = (): void => {
    this.setDragging(false);
  };

  onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this.setDragging(false);
    if (this.hooks.refuses() || !e.dataTransfer) return;
    // Synchronously, within the event: the drop's items are emptied once it returns.
    void droppedFiles(e.dataTransfer, { systemFiles: this.host.keepSystemFiles }).then(
      ({ files, handles }) => {
        if (files.length) this.addGiven(files, handles);
      },
    );
  };

  private fileInput(): HTMLInputElement | null {
    return this.host.renderRoot.querySelector<HTMLInputElement>('input[type=file]');
  }

  private setDragging(dragging: boolean): void {
    if (dragging === this.dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }
}
