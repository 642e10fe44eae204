import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../src/server/storage/index.ts';

// Presigning is local computation: no request leaves the process in these tests.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const context = { baseUrl: 'http://127.0.0.1:1/api/upload' };
const md5 = '1B2M2Y8AsgTpgAmY7PhCfg==';
const defaultClient = new S3Client({ region: 'eu-west-1', credentials }); // SDK defaults: WHEN_SUPPORTED

const adapters = {
  'its own client': createS3Storage({
    bucket: 'b',
    endpoint: 'http://127.0.0.1:9000',
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
  }),
  'a client passed with SDK default checksum settings': createS3Storage({
    bucket: 'b',
    client: defaultClient,
  }),
};

afterAll(() => {
  for (const adapter of Object.values(adapters)) adapter.destroy();
  defaultClient.destroy();
});

describe.each(Object.entries(adapters))('S3 presigned URLs, made with %s', (_name, adapter) => {
  it('sign Content-MD5 and Content-Length into a part URL and carry no x-amz-checksum parameter', async () => {
    const signed = await adapter.signPart({
      key: 'dir/a b.bin',
      uploadId: 'upload-1',
      partNumber: 7,
      size: 5_242_880,
      contentMd5: md5,
      expiresIn: 600,
      context,
    });
    const url = new URL(signed.url);
    expect(signed.url.toLowerCase()).not.toContain('x-amz-checksum');
    expect(signed.url.toLowerCase()).not.toContain('x-amz-sdk-checksum-algorithm');
    expect(url.searchParams.get('partNumber')).toBe('7');
    expect(url.searchParams.get('uploadId')).toBe('upload-1');
    const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders')!.split(';');
    expect(signedHeaders).toEqual(
      expect.arrayContaining(['content-md5', 'content-length', 'host']),
    );
    expect(signed.headers).toEqual({ 'Content-MD5': md5 });
    expect(signed.method).toBe('PUT');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    const date = url.searchParams.get('X-Amz-Date')!;
    const signedAt = Date.parse(
      date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(signed.expiresAt).toBe(signedAt + 600_000);
  });

  it('sign Content-MD5, Content-Length and Content-Type into a single PUT URL, metadata in the query', async () => {
    const signed = await adapter.signPut({
      key: 'small.txt',
      size: 12,
      contentMd5: md5,
      contentType: 'text/plain',
      metadata: { origin: 'test' },
      expiresIn: 60,
      context,
    });
    const url = new URL(signed.url);
    expect(signed.url.toLowerCase()).not.toContain('x-amz-checksum');
    expect(url.searchParams.get('X-Amz-SignedHeaders')!.split(';')).toEqual(
      expect.arrayContaining(['content-md5', 'content-length', 'content-type', 'host']),
    );
    expect(url.searchParams.get('x-amz-meta-origin')).toBe('test');
    expect(signed.headers).toEqual({ 'Content-MD5': md5, 'Content-Type': 'text/plain' });
  });
});

it('uses path-style URLs on the configured endpoint', async () => {
  const signed = await adapters['its own client'].signPart({
    key: 'k',
    uploadId: 'u',
    partNumber: 1,
    size: 1,
    contentMd5: md5,
    expiresIn: 60,
    context,
  });
  expect(signed.url.startsWith('http://127.0.0.1:9000/b/k?')).toBe(true);
});

it('refuses part numbers outside 1..10000 and lifetimes over 7 days', async () => {
  const adapter = adapters['its own client'];
  const part = { key: 'k', uploadId: 'u', size: 1, contentMd5: md5, context };
  await expect(adapter.signPart({ ...part, partNumber: 0, expiresIn: 60 })).rejects.toThrow(
    RangeError,
  );
  await expect(adapter.signPart({ ...part, partNumber: 10_001, expiresIn: 60 })).rejects.toThrow(
    RangeError,
  );
  await expect(adapter.signPart({ ...part, partNumber: 1, expiresIn: 604_801 })).rejects.toThrow(
    RangeError,
  );
});
