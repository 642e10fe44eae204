/** Messages between the element and its thumbnail worker (one discriminated union each way). */

/** Element -> worker: make a thumbnail of `file` whose shorter side is at most `edge` pixels. */
export interface ThumbnailRequest {
  id: string;
  file: Blob;
  edge: number;
}

/** Worker -> element: the thumbnail (WebP, or PNG where the browser cannot encode WebP), or why not. */
export type ThumbnailReply =
  { id: string; ok: true; blob: Blob } | { id: string; ok: false; error: string };
