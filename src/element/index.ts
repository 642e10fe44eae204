/** The element's class and types, without registering the tag (import './resumable-upload.ts' for that). */
export { ResumableUpload } from './resumable-upload.component.ts';
export type { EngineFactory, Notice } from './upload-controller.ts';
export {
  defaultStrings,
  type PluralText,
  type UploadStrings,
  type UploadStringsOverride,
} from './strings.ts';
export { LOCALES, loadLocale, matchLocale, registerLocale, type LocaleId } from './locale.ts';
export * from './events.ts';
export type {
  BackendAdapter,
  PendingUpload,
  UploaderApi,
  UploaderEventMap,
  UploadPhase,
  UploadSnapshot,
  OverallProgress,
} from '../engine/types.ts';
