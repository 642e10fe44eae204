import type { CreateUploadResponse, SignedPart, SignPartsResponse } from '../src/protocol/index.ts';
import { MAX_SIGN_BATCH } from '../src/protocol/index.ts';
import type { BenchFile } from './file.ts';

type Handler = (request: Request) => Promise<Response>;

async function post<T>(handler: Handler, url: string, body: unknown): Promise<T> {
  const response = await handler(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A multipart upload created and signed through the real handler, with MD5s computed in Node. */
export interface SignedUpload {
  parts: SignedPart[];
  partSize: number;
  /** Aborts it on the store (the raw run's bytes are not kept). */
  abort(): Promise<void>;
}

/**
 * Creates a multipart upload of `file` and signs all its parts through the handler, as the engine would,
 * so the raw ceiling PUTs the same parts to the same URLs; `api` is the handler's public base URL.
 */
export async function signUpload(
  handler: Handler,
  api: string,
  file: BenchFile,
): Promise<SignedUpload> {
  const created = await post<CreateUploadResponse>(handler, `${api}/create`, {
    fileName: 'bench-raw.bin',
    size: file.size,
    contentType: 'application/octet-stream',
    partSize: file.partSize,
  });
  if (created.mode !== 'multipart' || created.partSize !== file.partSize) {
    throw new Error(
      `the handler planned ${created.mode} with ${created.partSize}-byte parts, not ${file.partSize}`,
    );
  }
  const parts: SignedPart[] = [];
  for (let first = 0; first < file.partMd5s.length; first += MAX_SIGN_BATCH) {
    const batch = file.partMd5s.slice(first, first + MAX_SIGN_BATCH).map((contentMd5, i) => {
      const partNumber = first + i + 1;
      return {
        partNumber,
        size: Math.min(file.partSize, file.size - (partNumber - 1) * file.partSize),
        contentMd5,
      };
    });
    const signed = await post<SignPartsResponse>(handler, `${api}/sign-parts`, {
      token: created.token,
      parts: batch,
    });
    parts.push(...signed.parts);
  }
  return {
    parts,
    partSize: created.partSize,
    abort: async () => {
      await post(handler, `${api}/abort`, { token: created.token });
    },
  };
}
