/**
 * The S3 adapter's callback outbox: one small JSON object per failed callback under a prefix of the
 * bucket itself (default `.resumable-upload/callbacks/`: a sanitized file name never starts with a
 * dot, and the handler refuses upload keys under it). A claim writes the lease into the entry with
 * `If-Match` on the ETag it read, so on stores with conditional writes (AWS S3, MinIO, R2) only one
 * instance wins. Stores that refuse conditional PUTs (Swift s3api 2.30 answers 501 NotImplemented)
 * get a plain PUT and a read-back: the last writer wins, and in a narrow race two instances deliver
 * the same callback, with the same webhook-id (at least once).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  byAge,
  claimable,
  CLAIM_LIMIT,
  ENTRY_ID,
  parseEntry,
  withLease,
  type CallbackOutbox,
  type ClaimRequest,
  unleased,
  type OutboxEntry,
} from '../callbacks/outbox.ts';
import { toStorageError } from './s3-errors.ts';
import { StorageError } from './types.ts';

/** Default prefix of the outbox's objects in the bucket. */
export const S3_OUTBOX_PREFIX = '.resumable-upload/callbacks/';

/** How the S3 outbox takes leases: `auto` tries conditional writes and falls back when refused. */
export type ConditionalWrites = 'auto' | boolean;

/** The S3 outbox, with what it found out about the store. */
export interface S3Outbox extends CallbackOutbox {
  readonly keyPrefix: string;
  /** Whether the store honours If-Match on PutObject; undefined until the first claim or reschedule. */
  readonly conditionalWrites: boolean | undefined;
}

interface Stored {
  entry: OutboxEntry;
  etag: string;
}

/** Builds the outbox under `prefix` (ends with `/`) of `bucket`, with `client`. */
export function createS3Outbox(
  client: S3Client,
  bucket: string,
  prefix = S3_OUTBOX_PREFIX,
  conditional: ConditionalWrites = 'auto',
): S3Outbox {
  if (
    typeof prefix !== 'string' ||
    !/^[^/][\x21-\x7e]*\/$/.test(prefix) ||
    prefix
      .split('/')
      .some((s, i, all) => s === '..' || s === '.' || (s === '' && i < all.length - 1))
  ) {
    throw new TypeError('callbackOutbox: the prefix must be printable ASCII ending with "/"');
  }
  return new S3OutboxImpl(client, bucket, prefix, conditional);
}

class S3OutboxImpl implements S3Outbox {
  #conditional: boolean | undefined;
  /** The last body read of each key, by ETag: a listing with an unchanged ETag needs no GET. */
  readonly #cache = new Map<string, Stored>();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    readonly keyPrefix: string,
    conditional: ConditionalWrites,
  ) {
    this.#conditional = conditional === 'auto' ? undefined : conditional;
  }

  get conditionalWrites(): boolean | undefined {
    return this.#conditional;
  }

  async add(entry: OutboxEntry): Promise<void> {
    const stored = unleased(entry);
    await this.put(stored);
  }

  async claim(request: ClaimRequest): Promise<OutboxEntry[]> {
    const claimed: OutboxEntry[] = [];
    const found = request.id ? [await this.get(this.key(request.id))] : await this.all();
    for (const stored of found) {
      if (claimed.length >= (request.limit ?? CLAIM_LIMIT)) break;
      if (!stored || !claimable(stored.entry, request)) continue;
      const leased = withLease(stored.entry, request);
      if (await this.replace(leased, stored.etag, request.owner)) claimed.push(leased);
    }
    return claimed;
  }

  async delivered(id: string): Promise<void> {
    const Key = this.key(id);
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })));
    this.#cache.delete(this.key(id));
  }

  async reschedule(entry: OutboxEntry, owner: string): Promise<void> {
    const current = await this.get(this.key(entry.id));
    // Removed while we delivered it, or another instance took over after our lease ran out.
    if (!current || (current.entry.lease && current.entry.lease.owner !== owner)) return;
    const stored = unleased(entry);
    await this.replace(stored, current.etag, undefined);
  }

  async list(): Promise<OutboxEntry[]> {
    return (await this.all()).map((stored) => stored.entry);
  }

  async remove(id: string): Promise<boolean> {
    if (!ENTRY_ID.test(id)) return false;
    const existed = (await this.get(this.key(id))) !== undefined;
    if (existed) await this.delivered(id);
    return existed;
  }

  /**
   * Writes `entry` over the version with `etag`; false when another writer got there first. With
   * `owner`, on a store without conditional writes, reads back and keeps only its own lease.
   */
  private async replace(entry: OutboxEntry, etag: string, owner: string | undefined) {
    if (this.#conditional !== false) {
      try {
        await this.put(entry, etag);
        this.#conditional = true;
        return true;
      } catch (error) {
        const status = httpStatus(error);
        // 412: someone else wrote since we read; 404: it is gone (delivered or removed).
        if (status === 412 || status === 404) return false;
        if (status !== 501) throw error;
        this.#conditional = false;
      }
    }
    await this.put(entry);
    if (owner === undefined) return true;
    const back = await this.get(this.key(entry.id));
    return back?.entry.lease?.owner === owner;
  }

  private async put(entry: OutboxEntry, ifMatch?: string): Promise<void> {
    const key = this.key(entry.id);
    const body = JSON.stringify(entry);
    const output = await this.call(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          ...(ifMatch ? { IfMatch: ifMatch } : {}),
        }),
      ),
    );
    if (output.ETag) this.#cache.set(key, { entry, etag: output.ETag });
  }

  private async get(key: string): Promise<Stored | undefined> {
    try {
      const output = await this.call(() =>
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      const text = await this.call(async () => (await output.Body?.transformToString()) ?? '');
      const entry = parseEntry(text);
      if (!entry || this.key(entry.id) !== key || !output.ETag) return undefined;
      const stored = { entry, etag: output.ETag };
      this.#cache.set(key, stored);
      return stored;
    } catch (error) {
      if (httpStatus(error) === 404) {
        this.#cache.delete(key);
        return undefined;
      }
      throw error;
    }
  }

  /** Every entry, oldest first: one listing, and a GET only for objects that changed since. */
  private async all(): Promise<Stored[]> {
    const found: Stored[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyPrefix,
            ContinuationToken: token,
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key?.endsWith('.json')) continue;
        seen.add(object.Key);
        const cached = this.#cache.get(object.Key);
        const stored = cached && cached.etag === object.ETag ? cached : await this.get(object.Key);
        if (stored) found.push(stored);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (const key of this.#cache.keys()) if (!seen.has(key)) this.#cache.delete(key);
    return found.sort((a, b) => byAge(a.entry, b.entry));
  }

  private key(id: string): string {
    if (!ENTRY_ID.test(id)) throw new TypeError('invalid callback id');
    return `${this.keyPrefix}${id}.json`;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toStorageError(error);
    }
  }
}

function httpStatus(error: unknown): number | undefined {
  return error instanceof StorageError ? error.status : undefined;
}
