import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isActivePhase } from '../engine/phases.ts';
import type { UploadSnapshot } from '../engine/types.ts';

/** What the form-value controller needs from its element. */
export interface FormValueHost extends ReactiveControllerHost, HTMLElement {
  readonly name: string;
  /** The finished object keys. */
  readonly value: string[];
  readonly uploads: UploadSnapshot[];
}

let warnedAutoStart = false;

/**
 * Reads `auto-start`: true unless it says "false". That breaks HTML's boolean-attribute rule (any
 * value means true), hence `manual`; the old attribute is still read, with one warning per page.
 */
export const deprecatedAutoStart = {
  fromAttribute: (v: string | null): boolean => {
    if (v === 'false' && !warnedAutoStart) {
      warnedAutoStart = true;
      console.warn(
        '<resumable-upload>: auto-start="false" is deprecated; use the manual attribute.',
      );
    }
    return v !== 'false';
  },
};

/**
 * Keeps the element's form value and validity in step with its uploads, and fires what form
 * libraries, Vue's v-model and plain `onchange` listen to: `change` when the value (the finished
 * keys) changes and `input` on progress, with the same bubbling and composition as `<input>`'s.
 */
export class FormValueController implements ReactiveController {
  private lastValue: string | null = null;

  constructor(
    private readonly host: FormValueHost,
    private readonly internals: ElementInternals,
    /** The "please wait" message and the element it points at. */
    private readonly waiting: () => { message: string; anchor?: HTMLElement },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('upload-progress', this.onProgress);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('upload-progress', this.onProgress);
  }

  hostUpdated(): void {
    const keys = this.host.value;
    if (this.host.name && keys.length) {
      const data = new FormData();
      for (const key of keys) data.append(this.host.name, key);
      this.internals.setFormValue(data);
    } else {
      this.internals.setFormValue(null);
    }
    if (this.host.uploads.some((u) => isActivePhase(u.phase))) {
      const { message, anchor } = this.waiting();
      this.internals.setValidity({ customError: true }, message, anchor);
    } else {
      this.internals.setValidity({});
    }
    // The first update only records the starting value: nothing changed for the person yet.
    const value = JSON.stringify(keys);
    if (this.lastValue !== null && value !== this.lastValue) {
      this.host.dispatchEvent(new Event('change', { bubbles: true }));
    }
    this.lastValue = value;
  }

  private onProgress = (e: Event): void => {
    // The element's own upload-progress, not one bubbling up from a nested element.
    if (e.target !== this.host) return;
    this.host.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  };
}
