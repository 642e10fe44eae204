import { ResumableUpload } from './element.ts';

export * from './element.ts';

// Define-only entry: importing it registers the tag once, even if two bundles both import it.
if (!customElements.get('resumable-upload')) {
  customElements.define('resumable-upload', ResumableUpload);
}

declare global {
  interface HTMLElementTagNameMap {
    'resumable-upload': ResumableUpload;
  }
}
