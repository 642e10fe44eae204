import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { unquoteEtag } from '../../protocol/digest.ts';
import type { SignedPart, StoredPart } from '../../protocol/index.ts';
import { checkExpiresIn, checkPartNumber } from './checks.ts';
import { toStorageError } from './s3-errors.ts';
import { createS3Outbox, type ConditionalWrites, type S3Outbox } from './s3-outbox.ts';
import type { S3StorageOptions } from './s3-options.ts';
import { StorageError, type ObjectInfo, type StorageAdapter } from './types.ts';

// The headers a part URL is signed with: the browser must send exactly these values, so a URL
// uploads exactly the bytes that were hashed, of exactly the planned length.
const PART_HEADERS = new Set(['content-md5', 'content-length']);
const PUT_HEADERS = new Set(['content-md5', 'content-length', 'content-type']);

/**
 * The S3 adapter (AWS SDK v3): any S3-compatible store. Part URLs are presigned with Content-MD5 and
 * Content-Length signed in and without any x-amz-checksum parameter, which stores reject for presigned parts.
 */
export class S3Storage implements StorageAdapter {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly presigner: S3Client;
  private readonly pageSize: number;
  private readonly endpoint: string | undefined;
  private readonly pathStyleBase: () => Promise<string>;
  private readonly ownClient: S3Client | undefined;

  constructor(options: S3StorageOptions) {
    if (!options || typeof options.bucket !== 'string' || options.bucket === '') {
      throw new TypeError('createS3Storage: `bucket` is required');
    }
    const pageSize = options.listPartsPageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new TypeError('createS3Storage: `listPartsPageSize` must be 1..1000');
    }
    this.bucket = options.bucket;
    this.pageSize = pageSize;
    this.endpoint = options.endpoint?.replace(/\/+$/, '');
    const config = {
      endpoint: options.endpoint,
      region: options.region ?? 'us-east-1',
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle ?? false,
      // The SDK would otherwise add a CRC32 of the empty body to presigned URLs (and to its own calls,
      // which several S3-compatible stores refuse); MD5 is what this protocol checks.
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    };
    this.ownClient = options.client ? undefined : new S3Client(config);
    this.client = options.client ?? this.ownClient!;
    this.presigner = checksumsWhenRequired(options.presignClient ?? this.client);
    this.pathStyleBase = async () => {
      if (this.endpoint) return this.endpoint;
      const region = await this.client.config.region();
      return `https://s3.${region}.amazonaws.com`;
    };
  }

  async createUpload(input: {
    key: string;
    contentType: string;
    metadata?: Record<string, string>;
  }): Promise<{ uploadId: string }> {
    const output = await this.call(() =>
      this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: input.key,
          ContentType: input.contentType || 'application/octet-stream',
          Metadata: input.metadata,
        }),
      ),
    );
    if (!output.UploadId) throw new StorageError('Internal', 'The store returned no upload id.');
    return { uploadId: output.UploadId };
  }

  async signPart(input: Parameters<StorageAdapter['signPart']>[0]): Promise<SignedPart> {
    checkPartNumber(input.partNumber);
    const command = new UploadPartCommand({
      Bucket: this.bucket,
      Key: input.key,
      UploadId: input.uploadId,
      PartNumber: input.partNumber,
      ContentMD5: input.contentMd5,
      ContentLength: input.size,
    });
    const { url, expiresAt } = await this.presign(command, input.expiresIn, PART_HEADERS);
    return {
      partNumber: input.partNumber,
      url,
      method: 'PUT',
      headers: { 'Content-MD5': input.contentMd5 },
      expiresAt,
    };
  }

  async signPut(input: Parameters<StorageAdapter['signPut']>[0]): Promise<SignedPart> {
    const contentType = input.contentType || 'application/octet-stream';
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentMD5: input.contentMd5,
      ContentLength: input.size,
      ContentType: contentType,
      // x-amz-meta-* headers are hoisted into the query string by the presigner: the browser sends none.
      Metadata: input.metadata,
    });
    const { url, expiresAt } = await this.presign(command, input.expiresIn, PUT_HEADERS);
    return {
      partNumber: 1,
      url,
      method: 'PUT',
      headers: { 'Content-MD5': input.contentMd5, 'Content-Type': contentType },
      expiresAt,
    };
  }

  async listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]> {
    const parts: StoredPart[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.call(() =>
        this.client.send(
          new ListPartsCommand({
            Bucket: this.bucket,
            Key: input.key,
            UploadId: input.uploadId,
            MaxParts: this.pageSize,
            PartNumberMarker: marker,
          }),
        ),
      );
      for (const part of page.Parts ?? []) {
        parts.push({
          partNumber: part.PartNumber ?? 0,
          size: part.Size ?? 0,
          etag: unquoteEtag(part.ETag ?? ''),
        });
      }
      const next = page.NextPartNumberMarker?.toString();
      // A store that says "truncated" without moving the marker would loop forever: stop there.
      if (!page.IsTruncated || !next || next === marker) break;
      marker = next;
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeUpload(input: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; etag: string }[];
  }): Promise<{ etag: string; location: string }> {
    const output = await this.call(() =>
      this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: input.key,
          UploadId: input.uploadId,
          MultipartUpload: {
            Parts: input.parts.map((p) => ({
              PartNumber: p.partNumber,
              ETag: `"${unquoteEtag(p.etag)}"`,
            })),
          },
        }),
      ),
    );
    return {
      etag: unquoteEtag(output.ETag ?? ''),
      location: output.Location || (await this.keyUrl(input.key)),
    };
  }

  async abortUpload(input: { key: string; uploadId: string }): Promise<void> {
    await this.call(() =>
      this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.bucket,
          Key: input.key,
          UploadId: input.uploadId,
        }),
      ),
    );
  }

  async copyObject(input: Parameters<StorageAdapter['copyObject']>[0]): Promise<void> {
    const source = input.from.split('/').map(encodeURIComponent).join('/');
    await this.call(() =>
      this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: input.to,
          CopySource: `${this.bucket}/${source}`,
          // Set here, not copied: not every store keeps the x-amz-meta-* of a presigned PUT's query.
          MetadataDirective: 'REPLACE',
          ContentType: input.contentType || 'application/octet-stream',
          Metadata: input.metadata,
        }),
      ),
    );
  }

  async deleteObject(input: { key: string }): Promise<void> {
    await this.call(() =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: input.key })),
    );
  }

  async headObject(input: { key: string }): Promise<ObjectInfo | null> {
    try {
      const output = await this.call(() =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: input.key })),
      );
      return {
        key: input.key,
        size: output.ContentLength ?? 0,
        etag: unquoteEtag(output.ETag ?? ''),
        contentType: output.ContentType ?? 'application/octet-stream',
        lastModified: output.LastModified ?? new Date(0),
        metadata: output.Metadata ?? {},
      };
    } catch (error) {
      if (error instanceof StorageError && error.code === 'NoSuchKey') return null;
      throw error;
    }
  }

  async getObject(input: { key: string }): Promise<ReadableStream<Uint8Array>> {
    const output = await this.call(() =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: input.key })),
    );
    if (!output.Body) throw new StorageError('Internal', 'The store returned no body.');
    return output.Body.transformToWebStream() as ReadableStream<Uint8Array>;
  }

  async listUploads(input: { prefix: string }): Promise<{ key: string; uploadId: string }[]> {
    const found: { key: string; uploadId: string }[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.call(() =>
        this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: input.prefix,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        ),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key && upload.UploadId)
          found.push({ key: upload.Key, uploadId: upload.UploadId });
      }
      if (
        !page.IsTruncated ||
        (page.NextKeyMarker === keyMarker && page.NextUploadIdMarker === uploadIdMarker)
      )
        break;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
    return found;
  }

  /** Objects under a prefix. A listing carries no content type, so `contentType` is '' here (headObject has it). */
  async listObjects(input: { prefix: string }): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: input.prefix,
            ContinuationToken: token,
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        found.push({
          key: object.Key,
          size: object.Size ?? 0,
          etag: unquoteEtag(object.ETag ?? ''),
          contentType: '',
          lastModified: object.LastModified ?? new Date(0),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  /**
   * The outbox of failed callbacks as small JSON objects under `prefix` (default
   * `.resumable-upload/callbacks/`); `conditionalWrites: 'auto'` finds out whether the store honours If-Match.
   */
  callbackOutbox(prefix?: string, conditionalWrites: ConditionalWrites = 'auto'): S3Outbox {
    return createS3Outbox(this.client, this.bucket, prefix, conditionalWrites);
  }

  /** Releases the sockets of the client the adapter made (a client passed in options is left to its owner). */
  destroy(): void {
    this.ownClient?.destroy();
  }

  private async presign(
    command: UploadPartCommand | PutObjectCommand,
    expiresIn: number,
    signableHeaders: Set<string>,
  ): Promise<{ url: string; expiresAt: number }> {
    checkExpiresIn(expiresIn);
    // X-Amz-Date has whole seconds: sign at a whole second so expiresAt is exact.
    const signingDate = new Date(Math.floor(Date.now() / 1000) * 1000);
    const options = { expiresIn, signingDate, signableHeaders: new Set(signableHeaders) };
    const url =
      command instanceof PutObjectCommand
        ? await getSignedUrl(this.presigner, command, options)
        : await getSignedUrl(this.presigner, command, options);
    if (/[?&]x-amz-(checksum-|sdk-checksum-algorithm)/i.test(url)) {
      throw new StorageError(
        'Internal',
        'The presigned URL carries an x-amz-checksum parameter that stores reject.',
      );
    }
    return { url, expiresAt: signingDate.getTime() + expiresIn * 1000 };
  }

  private async keyUrl(key: string): Promise<string> {
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `${await this.pathStyleBase()}/${encodeURIComponent(this.bucket)}/${path}`;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toStorageError(error);
    }
  }
}

/**
 * The client as the presigner sees it, with checksums only when required: otherwise the SDK (since
 * 3.729) signs an x-amz-checksum-crc32 of the empty body into every part URL and stores reject the part.
 * getSignedUrl reads only `config` and `middlewareStack`, so a client passed in options works unchanged.
 */
function checksumsWhenRequired(client: S3Client): S3Client {
  const config = {
    ...client.config,
    requestChecksumCalculation: async () => 'WHEN_REQUIRED' as const,
    responseChecksumValidation: async () => 'WHEN_REQUIRED' as const,
  };
  return { config, middlewareStack: client.middlewareStack } as unknown as S3Client;
}
