import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the paste controller needs from its element. */
export interface PasteHost extends ReactiveControllerHost, HTMLElement {
  /** `document` to take pastes anywhere on the page; anything else: only while the element has focus. */
  readonly paste: string;
}

/** Whether a paste goes to a text field or an editor of the page (it keeps it, files included). */
function editable(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target.isContentEditable
  );
}

/**
 * Adds pasted files (Ctrl/Cmd+V: a screenshot, files copied in the file manager) like chosen ones,
 * as Uppy's Dashboard and FilePond do. The paste event reaches the element while it has the focus
 * (it is composed); with `paste="document"` the controller listens on the document instead, but
 * leaves pastes into the page's own text fields and editors alone.
 */
export class PasteController implements ReactiveController {
  private target: EventTarget | undefined;

  constructor(
    private readonly host: PasteHost,
    /** Takes the pasted files; returns false when the element refuses files (disabled). */
    private readonly add: (files: File[]) => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.listen();
  }

  hostUpdated(): void {
    this.listen();
  }

  hostDisconnected(): void {
    this.target?.removeEventListener('paste', this.onPaste);
    this.target = undefined;
  }

  private listen(): void {
    const target = this.host.paste === 'document' ? this.host.ownerDocument : this.host;
    if (target === this.target) return;
    this.hostDisconnected();
    target.addEventListener('paste', this.onPaste);
    this.target = target;
  }

  private onPaste = (e: Event): void => {
    const event = e as ClipboardEvent;
    const files = Array.from(event.clipboardData?.files ?? []);
    // Text pastes pass through untouched.
    if (!files.length || event.defaultPrevented) return;
    const origin = event.composedPath()[0];
    if (this.target !== this.host && !this.host.contains(origin as Node) && editable(origin))
      return;
    if (this.add(files)) event.preventDefault();
  };
}
