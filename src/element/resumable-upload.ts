import { Uploader } from '../engine/index.ts';
import { ResumableUpload } from './resumable-upload.component.ts';

export * from './index.ts';

ResumableUpload.createEngine = (options) => new Uploader(options);

// Define-only entry: importing it registers the tag once, even if two bundles both import it.
if (!customElements.get('resumable-upload')) {
  customElements.define('resumable-upload', ResumableUpload);
}

declare global {
  interface HTMLElementTagNameMap {
    'resumable-upload': ResumableUpload;
  }
}
