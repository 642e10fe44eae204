import { Uploader } from '../browser/engine.ts';
import { ResumableUpload } from './resumable-upload.component.ts';

/**
 * The `resumable-upload/element` entry: the element class with the browser engine wired in, and no
 * tag registered, so an application can `customElements.define('my-uploader', ResumableUpload)`
 * (or a subclass) under a name of its own. `resumable-upload` (the define entry) builds on it.
 */
export * from './index.ts';

ResumableUpload.createEngine = (options) => new Uploader(options);
