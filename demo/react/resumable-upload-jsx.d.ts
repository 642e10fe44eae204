// <resumable-upload> in React 19's JSX: React sets props that name element properties (metadata)
// as properties, other hyphenated ones as attributes, and `on<event>` props as listeners.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  ResumableUpload,
  UploadErrorEvent,
  UploadProgressEvent,
  UploadSuccessEvent,
} from '../../src/element/resumable-upload.ts';

type ResumableUploadProps = DetailedHTMLProps<HTMLAttributes<ResumableUpload>, ResumableUpload> &
  Partial<
    Pick<
      ResumableUpload,
      | 'endpoint'
      | 'multiple'
      | 'accept'
      | 'disabled'
      | 'name'
      | 'metadata'
      | 'callbackVars'
      | 'strings'
    >
  > & {
    'part-size'?: string;
    concurrency?: string | number;
    'max-file-size'?: string;
    'auto-start'?: 'true' | 'false';
    'callback-target'?: string;
    'onupload-success'?: (event: UploadSuccessEvent) => void;
    'onupload-error'?: (event: UploadErrorEvent) => void;
    'onupload-progress'?: (event: UploadProgressEvent) => void;
  };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'resumable-upload': ResumableUploadProps;
    }
  }
}
