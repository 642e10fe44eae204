import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../src/protocol/index.ts';
import {
  StorageError,
  type SignContext,
  type StorageAdapter,
} from '../../src/server/storage/index.ts';
import { bytesOf, md5, putSigned, storedMd5 } from './conformance-http.ts';

/** One store under test, as the conformance suite needs it. */
export interface ConformanceTarget {
  adapter: StorageAdapter;
  /** The same store with ListParts reading pages of `pageSize` parts, to prove pages are merged. */
  pagedAdapter(pageSize: number): StorageAdapter;
  context: SignContext;
  /** True when nothing of the upload is left in the store beyond what listUploads shows (local: its folder). */
  uploadLeftNothing?(uploadId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Expects a StorageError with `code` from `promise`. */
async function expectCode(promise: Promise<unknown>, code: string): Promise<StorageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected StorageError ${code}`).toBeInstanceOf(StorageError);
  expect((error as StorageError).code).toBe(code);
  return error as StorageError;
}

/**
 * The StorageAdapter contract, run against every adapter: the S3 multipart semantics the engine and the
 * handler rely on, with parts PUT over HTTP to the signed URLs exactly as a browser sends them.
 */
export function describeConformance(
  name: string,
  makeTarget: () => Promise<ConformanceTarget>,
): void {
  describe(`storage conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let adapter: StorageAdapter;
    const prefix = `conformance/${randomUUID()}/`;
    const ctx = () => target.context;

    beforeAll(async () => {
      target = await makeTarget();
      adapter = target.adapter;
    });
    afterAll(async () => {
      await target?.close();
    });

    /** Starts an upload and PUTs the given parts; returns the ids and the ETags the store answered. */
    async function uploadParts(key: string, parts: Uint8Array<ArrayBuffer>[]) {
      const { uploadId } = await adapter.createUpload({
        key,
        contentType: 'application/octet-stream',
      });
      const etags: string[] = [];
      for (const [index, bytes] of parts.entries()) {
        const signed = await adapter.signPart({
          key,
          uploadId,
          partNumber: index + 1,
          size: bytes.byteLength,
          contentMd5: md5(bytes).base64,
          expiresIn: 300,
          context: ctx(),
        });
        const answer = await putSigned(signed, bytes);
        expect(answer.status, answer.body).toBe(200);
        etags.push(answer.etag);
      }
      return { uploadId, etags };
    }

    it('stores the exact bytes of a multipart upload (5 MiB parts and a remainder)', async () => {
      const key = `${prefix}multi/file.bin`;
      const parts = [bytesOf(5 * MiB, 1), bytesOf(5 * MiB, 2), bytesOf(123_457, 3)];
      const whole = Buffer.concat(parts);
      const { uploadId, etags } = await uploadParts(key, parts);
      expect(etags).toEqual(parts.map((p) => md5(p).hex));

      const listed = await adapter.listParts({ key, uploadId });
      expect(listed).toEqual(
        parts.map((p, i) => ({ partNumber: i + 1, size: p.byteLength, etag: md5(p).hex })),
      );
      expect(await adapter.listUploads({ prefix: `${prefix}multi/` })).toEqual([{ key, uploadId }]);

      const done = await adapter.completeUpload({
        key,
        uploadId,
        parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })),
      });
      const md5OfMd5s = md5(Buffer.concat(parts.map((p) => Buffer.from(md5(p).hex, 'hex')))).hex;
      expect(done.etag).toBe(`${md5OfMd5s}-3`);
      expect(done.location).toContain(encodeURIComponent('file.bin'));

      expect(await storedMd5(adapter, key)).toEqual({
        hex: md5(whole).hex,
        size: whole.byteLength,
      });
      const head = await adapter.headObject({ key });
      expect(head).toMatchObject({
        key,
        size: whole.byteLength,
        etag: done.etag,
        contentType: 'application/octet-stream',
      });
      expect(head?.lastModified).toBeInstanceOf(Date);
      expect(
        (await adapter.listObjects({ prefix: `${prefix}multi/` })).map((o) => [o.key, o.size]),
      ).toEqual([[key, whole.byteLength]]);
      // The upload is finished: it is listed no more. (ListParts of a completed id differs between
      // stores: AWS answers NoSuchUpload, Swift s3api still lists the parts, so it is not asserted.)
      expect(await adapter.listUploads({ prefix: `${prefix}multi/` })).toEqual([]);
      expect((await target.uploadLeftNothing?.(uploadId)) ?? true).toBe(true);
    });

    it.each([
      ['an empty file', 0],
      ['a small file', 1_000],
      ['a file of one odd-sized part', 70_001],
    ])('stores %s through a single signed PUT', async (_label, size) => {
      const key = `${prefix}single/${size} bytes (copy).txt`;
      const bytes = bytesOf(size, size + 7);
      const signed = await adapter.signPut({
        key,
        size,
        contentMd5: md5(bytes).base64,
        contentType: 'text/plain',
        metadata: { origin: 'conformance' },
        expiresIn: 300,
        context: ctx(),
      });
      expect(signed.headers['Content-MD5']).toBe(md5(bytes).base64);
      expect(signed.headers['Content-Type']).toBe('text/plain');
      const answer = await putSigned(signed, bytes);
      expect(answer.status, answer.body).toBe(200);
      expect(answer.etag).toBe(md5(bytes).hex);
      expect(await storedMd5(adapter, key)).toEqual({ hex: md5(bytes).hex, size });
      expect(await adapter.headObject({ key })).toMatchObject({
        key,
        size,
        etag: md5(bytes).hex,
        contentType: 'text/plain',
      });
    });

    it('copies an object with a new content type and metadata, and deletes objects', async () => {
      const from = `${prefix}copy/.upload-staged`;
      const to = `${prefix}copy/final name.txt`;
      const bytes = bytesOf(3_000, 42);
      const signed = await adapter.signPut({
        key: from,
        size: bytes.length,
        contentMd5: md5(bytes).base64,
        contentType: 'text/plain',
        expiresIn: 300,
        context: ctx(),
      });
      expect((await putSigned(signed, bytes)).status).toBe(200);
      await adapter.copyObject({
        from,
        to,
        contentType: 'text/csv',
        metadata: { 'upload-marker': 'abc' },
      });
      await adapter.deleteObject({ key: from });
      expect(await adapter.headObject({ key: from })).toBeNull();
      expect(await adapter.headObject({ key: to })).toMatchObject({
        size: 3_000,
        etag: md5(bytes).hex,
        contentType: 'text/csv',
        metadata: { 'upload-marker': 'abc' },
      });
      expect(await storedMd5(adapter, to)).toEqual({ hex: md5(bytes).hex, size: 3_000 });
      // Deleting what is not there is no error, as on S3.
      await adapter.deleteObject({ key: from });
      await expect(adapter.copyObject({ from, to, contentType: '' })).rejects.toMatchObject({
        code: 'NoSuchKey',
      });
      await adapter.deleteObject({ key: to });
      expect(await adapter.listObjects({ prefix: `${prefix}copy/` })).toEqual([]);
    });

    it('replaces an object stored again under its key, multipart and single PUT alike', async () => {
      const key = `${prefix}replaced/file.bin`;
      const completeWith = async (parts: Uint8Array<ArrayBuffer>[]) => {
        const { uploadId, etags } = await uploadParts(key, parts);
        await adapter.completeUpload({
          key,
          uploadId,
          parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })),
        });
        const whole = Buffer.concat(parts);
        expect(await storedMd5(adapter, key)).toEqual({
          hex: md5(whole).hex,
          size: whole.byteLength,
        });
      };
      await completeWith([bytesOf(5 * MiB, 11), bytesOf(1_000, 12)]);
      await completeWith([bytesOf(5 * MiB, 13), bytesOf(5 * MiB, 14), bytesOf(7, 15)]);

      const single = bytesOf(2_000, 16);
      const signed = await adapter.signPut({
        key,
        size: single.byteLength,
        contentMd5: md5(single).base64,
        contentType: 'application/octet-stream',
        expiresIn: 300,
        context: ctx(),
      });
      expect((await putSigned(signed, single)).status).toBe(200);
      expect(await storedMd5(adapter, key)).toEqual({ hex: md5(single).hex, size: 2_000 });

      await completeWith([bytesOf(5 * MiB, 17), bytesOf(3, 18)]);
      expect(
        (await adapter.listObjects({ prefix: `${prefix}replaced/` })).map((o) => [o.key, o.size]),
      ).toEqual([[key, 5 * MiB + 3]]);
    });

    it('lists every part across ListParts pages, ascending, with gaps kept', async () => {
      const key = `${prefix}paged/file.bin`;
      const parts = Array.from({ length: 7 }, (_, i) => bytesOf(10 + i, 100 + i));
      const { uploadId } = await adapter.createUpload({
        key,
        contentType: 'application/octet-stream',
      });
      // Out of order and with gaps, as parallel uploads land.
      const numbers = [7, 1, 3, 2, 5, 4, 6].filter((n) => n !== 6);
      for (const n of numbers) {
        const bytes = parts[n - 1]!;
        const signed = await adapter.signPart({
          key,
          uploadId,
          partNumber: n,
          size: bytes.byteLength,
          contentMd5: md5(bytes).base64,
          expiresIn: 300,
          context: ctx(),
        });
        expect((await putSigned(signed, bytes)).status).toBe(200);
      }
      const expected = [1, 2, 3, 4, 5, 7].map((n) => ({
        partNumber: n,
        size: parts[n - 1]!.byteLength,
        etag: md5(parts[n - 1]!).hex,
      }));
      expect(await target.pagedAdapter(2).listParts({ key, uploadId })).toEqual(expected);
      expect(await adapter.listParts({ key, uploadId })).toEqual(expected);
      await adapter.abortUpload({ key, uploadId });
    });

    it('replaces a part sent again with the same number', async () => {
      const key = `${prefix}resend/file.bin`;
      const { uploadId } = await uploadParts(key, [bytesOf(100, 1)]);
      const again = bytesOf(200, 2);
      const signed = await adapter.signPart({
        key,
        uploadId,
        partNumber: 1,
        size: again.byteLength,
        contentMd5: md5(again).base64,
        expiresIn: 300,
        context: ctx(),
      });
      expect((await putSigned(signed, again)).status).toBe(200);
      expect(await adapter.listParts({ key, uploadId })).toEqual([
        { partNumber: 1, size: 200, etag: md5(again).hex },
      ]);
      await adapter.abortUpload({ key, uploadId });
    });

    describe('refuses a part PUT', () => {
      const key = `${prefix}refused/file.bin`;
      let uploadId: string;
      const bytes = bytesOf(4_096, 42);
      const sign = (contentMd5: string, expiresIn = 300, partNumber = 1) =>
        adapter.signPart({
          key,
          uploadId,
          partNumber,
          size: bytes.byteLength,
          contentMd5,
          expiresIn,
          context: ctx(),
        });

      beforeAll(async () => {
        ({ uploadId } = await adapter.createUpload({
          key,
          contentType: 'application/octet-stream',
        }));
      });
      afterAll(async () => {
        expect(await adapter.listParts({ key, uploadId })).toEqual([]);
        await adapter.abortUpload({ key, uploadId });
      });

      it('whose bytes do not match the Content-MD5 (BadDigest)', async () => {
        const answer = await putSigned(await sign(md5(bytesOf(4_096, 43)).base64), bytes);
        expect([answer.status, answer.code]).toEqual([400, 'BadDigest']);
      });

      it('whose Content-MD5 is malformed (InvalidDigest)', async () => {
        const answer = await putSigned(await sign('bm90IGFuIG1kNQ=='), bytes);
        expect([answer.status, answer.code]).toEqual([400, 'InvalidDigest']);
      });

      it('whose signed URL has expired, saying so', async () => {
        const signed = await sign(md5(bytes).base64, 1);
        await sleep(2_100);
        const answer = await putSigned(signed, bytes);
        expect(answer.status).toBe(403);
        expect(answer.body).toContain('Request has expired');
      });

      it('whose signature was tampered with', async () => {
        const signed = await sign(md5(bytes).base64);
        const url = new URL(signed.url);
        const param = [...url.searchParams.keys()].find((k) => /signature/i.test(k))!;
        const value = url.searchParams.get(param)!;
        url.searchParams.set(param, (value[0] === 'a' ? 'b' : 'a') + value.slice(1));
        const answer = await putSigned({ ...signed, url: url.toString() }, bytes);
        expect([answer.status, answer.code]).toEqual([403, 'SignatureDoesNotMatch']);
      });

      it('whose URL was signed for another part number', async () => {
        const signed = await sign(md5(bytes).base64, 300, 2);
        const url = signed.url.replace(/partNumber=2\b/, 'partNumber=1').replace(/\/2\?/, '/1?');
        expect(url).not.toBe(signed.url);
        const answer = await putSigned({ ...signed, url }, bytes);
        expect(answer.status).toBe(403);
      });

      it('that sends other bytes with their own Content-MD5 than the URL was signed for', async () => {
        const other = bytesOf(4_096, 44);
        const signed = await sign(md5(bytes).base64);
        const answer = await putSigned(signed, other, {
          ...signed.headers,
          'Content-MD5': md5(other).base64,
        });
        expect(answer.status).toBe(403);
      });

      it('of an upload that does not exist (NoSuchUpload)', async () => {
        const { uploadId: deadId } = await adapter.createUpload({
          key,
          contentType: 'application/octet-stream',
        });
        await adapter.abortUpload({ key, uploadId: deadId });
        const signed = await adapter.signPart({
          key,
          uploadId: deadId,
          partNumber: 1,
          size: bytes.byteLength,
          contentMd5: md5(bytes).base64,
          expiresIn: 300,
          context: ctx(),
        });
        const answer = await putSigned(signed, bytes);
        expect([answer.status, answer.code]).toEqual([404, 'NoSuchUpload']);
      });
    });

    describe('refuses a complete', () => {
      const key = `${prefix}bad-complete/file.bin`;
      let uploadId: string;
      let etags: string[];

      beforeAll(async () => {
        ({ uploadId, etags } = await uploadParts(key, [bytesOf(1_000, 1), bytesOf(1_000, 2)]));
      });
      afterAll(async () => {
        await adapter.abortUpload({ key, uploadId });
      });

      it('that names a part the store does not have (InvalidPart)', async () => {
        const parts = [
          { partNumber: 1, etag: etags[0]! },
          { partNumber: 3, etag: etags[1]! },
        ];
        await expectCode(adapter.completeUpload({ key, uploadId, parts }), 'InvalidPart');
      });

      it('that names a part with another ETag (InvalidPart)', async () => {
        const parts = [
          { partNumber: 1, etag: etags[0]! },
          { partNumber: 2, etag: md5(bytesOf(1, 9)).hex },
        ];
        await expectCode(adapter.completeUpload({ key, uploadId, parts }), 'InvalidPart');
      });

      it('that lists the parts out of order (InvalidPartOrder)', async () => {
        const parts = [
          { partNumber: 2, etag: etags[1]! },
          { partNumber: 1, etag: etags[0]! },
        ];
        await expectCode(adapter.completeUpload({ key, uploadId, parts }), 'InvalidPartOrder');
      });

      it('whose non-last part is under 5 MiB (EntityTooSmall)', async () => {
        const parts = etags.map((etag, i) => ({ partNumber: i + 1, etag }));
        await expectCode(adapter.completeUpload({ key, uploadId, parts }), 'EntityTooSmall');
        // A refused complete leaves the upload and its parts as they were.
        expect((await adapter.listParts({ key, uploadId })).map((p) => p.etag)).toEqual(etags);
      });
    });

    it('aborts an upload: its parts are gone, it is listed no more, its id is dead', async () => {
      const key = `${prefix}aborted/file.bin`;
      const { uploadId, etags } = await uploadParts(key, [bytesOf(2_000, 5), bytesOf(100, 6)]);
      expect(await adapter.listUploads({ prefix: `${prefix}aborted/` })).toEqual([
        { key, uploadId },
      ]);
      await adapter.abortUpload({ key, uploadId });
      await expectCode(adapter.listParts({ key, uploadId }), 'NoSuchUpload');
      expect(await adapter.listUploads({ prefix: `${prefix}aborted/` })).toEqual([]);
      const parts = etags.map((etag, i) => ({ partNumber: i + 1, etag }));
      await expectCode(adapter.completeUpload({ key, uploadId, parts }), 'NoSuchUpload');
      expect(await adapter.headObject({ key })).toBeNull();
      expect((await target.uploadLeftNothing?.(uploadId)) ?? true).toBe(true);
    });

    it('answers NoSuchUpload for an upload id it never issued', async () => {
      const key = `${prefix}unknown/file.bin`;
      const { uploadId } = await adapter.createUpload({
        key,
        contentType: 'application/octet-stream',
      });
      // Another key with a real id, and a made-up id.
      await expectCode(adapter.listParts({ key: `${key}.other`, uploadId }), 'NoSuchUpload');
      const madeUp = uploadId.replace(/[0-9a-f]/gi, (c) => (c === '0' ? '1' : '0'));
      await expectCode(adapter.listParts({ key, uploadId: madeUp }), 'NoSuchUpload');
      await expectCode(
        adapter.completeUpload({
          key,
          uploadId: madeUp,
          parts: [{ partNumber: 1, etag: md5(new Uint8Array()).hex }],
        }),
        'NoSuchUpload',
      );
      await expectCode(adapter.abortUpload({ key, uploadId: madeUp }), 'NoSuchUpload');
      await adapter.abortUpload({ key, uploadId });
    });

    it('reports a missing object as null on head and NoSuchKey on get', async () => {
      const key = `${prefix}missing/nothing.bin`;
      expect(await adapter.headObject({ key })).toBeNull();
      await expectCode(adapter.getObject({ key }), 'NoSuchKey');
      expect(await adapter.listObjects({ prefix: `${prefix}missing/` })).toEqual([]);
    });
  });
}
