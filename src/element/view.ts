import type { FileIntake } from './file-intake.ts';
import type { UploadStrings } from './strings.ts';
import type { ThumbnailController } from './thumbnails.ts';
import type { Notice, UploadController } from './upload-controller.ts';

/** What the element's templates read, gathered once per render. */
export interface ElementView {
  /** The strings in force (the language's, with the `strings` property over them). */
  t: UploadStrings;
  /** The locale numbers are formatted in. */
  locale: string;
  multiple: boolean;
  accept: string;
  autoStart: boolean;
  /** `disabled`, or a disabled `<fieldset>` around the element. */
  refusesFiles: boolean;
  controller: UploadController;
  intake: FileIntake;
  previews: ThumbnailController;
  /** Why a file was not added, naming the limit it broke. */
  noticeReason: (n: Notice) => string;
}
