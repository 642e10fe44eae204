// The thumbnail worker: decodes an image off the main thread (createImageBitmap, turned upright by
// its EXIF orientation), scales it on an OffscreenCanvas and encodes a small WebP. One image at a time.
import type { ThumbnailReply, ThumbnailRequest } from './thumbnail-protocol.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ThumbnailRequest>) => void) | null;
  postMessage(message: ThumbnailReply): void;
};

async function thumbnail({ file, edge }: ThumbnailRequest): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    // Shorter side to `edge` (the element shows it with object-fit: cover); never scaled up.
    const scale = Math.min(1, edge / Math.min(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
  } finally {
    bitmap.close();
  }
}

scope.onmessage = (e) => {
  const request = e.data;
  thumbnail(request).then(
    (blob) => scope.postMessage({ id: request.id, ok: true, blob }),
    (err: unknown) =>
      scope.postMessage({
        id: request.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      }),
  );
};
