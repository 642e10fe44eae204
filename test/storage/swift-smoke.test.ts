import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, inject, it } from 'vitest';

it('Swift s3api started by the test setup holds the test bucket', async () => {
  const s3 = inject('s3');
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const res = await client.send(new HeadBucketCommand({ Bucket: s3.bucket }));
  expect(res.$metadata.httpStatusCode).toBe(200);
  client.destroy();
});
