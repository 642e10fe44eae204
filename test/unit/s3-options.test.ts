import { describe, expect, it } from 'vitest';
import { s3OptionsFromEnv } from '../../src/server/storage/index.ts';

describe('s3OptionsFromEnv', () => {
  it('reads every S3 variable', () => {
    expect(
      s3OptionsFromEnv({
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_REGION: 'eu-central-1',
        S3_BUCKET: 'uploads',
        AWS_ACCESS_KEY_ID: 'id',
        AWS_SECRET_ACCESS_KEY: 'secret',
        S3_FORCE_PATH_STYLE: 'false',
      }),
    ).toEqual({
      bucket: 'uploads',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-central-1',
      forcePathStyle: false,
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
  });

  it('defaults to us-east-1, the SDK credential chain, and path style only with an endpoint', () => {
    expect(s3OptionsFromEnv({ S3_BUCKET: 'b' })).toEqual({
      bucket: 'b',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
    });
    expect(
      s3OptionsFromEnv({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://minio:9000' }).forcePathStyle,
    ).toBe(true);
  });

  it('throws a clear TypeError when S3_BUCKET is missing', () => {
    expect(() => s3OptionsFromEnv({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/S3_BUCKET/);
    expect(() => s3OptionsFromEnv({})).toThrow(TypeError);
  });

  it('refuses half a key pair and a path-style value that is not a boolean', () => {
    expect(() => s3OptionsFromEnv({ S3_BUCKET: 'b', AWS_ACCESS_KEY_ID: 'id' })).toThrow(
      /AWS_SECRET_ACCESS_KEY/,
    );
    expect(() => s3OptionsFromEnv({ S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(
      /S3_FORCE_PATH_STYLE/,
    );
  });
});
