import type { S3Client } from '@aws-sdk/client-s3';

/** How the S3 adapter reaches its store. */
export interface S3StorageOptions {
  /** The bucket every key lives in. */
  bucket: string;
  /** Endpoint of an S3-compatible store (MinIO, Ceph RGW, Swift s3api, R2...); AWS when left out. */
  endpoint?: string;
  /** Signing region. Default `us-east-1`. */
  region?: string;
  /** Access keys; the SDK's default chain (environment, profile, instance role) when left out. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible stores need. */
  forcePathStyle?: boolean;
  /** A ready client; then endpoint, region, credentials and forcePathStyle are not used. */
  client?: S3Client;
  /** Another client for presigning (default: `client`); its checksum setting is overridden to WHEN_REQUIRED. */
  presignClient?: S3Client;
  /** Parts per ListParts page (MaxParts); every page is read and merged. Default 1000, S3's maximum. */
  listPartsPageSize?: number;
}

/**
 * Reads the S3 adapter's options from the environment: S3_BUCKET (required), S3_ENDPOINT, S3_REGION,
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), S3_FORCE_PATH_STYLE (default: true
 * when S3_ENDPOINT is set, since S3-compatible stores mostly need it).
 */
export function s3OptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): S3StorageOptions {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) {
    throw new TypeError(
      'S3 storage: set S3_BUCKET to the bucket to upload into (and S3_ENDPOINT for a non-AWS store)',
    );
  }
  const endpoint = env.S3_ENDPOINT?.trim() || undefined;
  const options: S3StorageOptions = {
    bucket,
    endpoint,
    region: env.S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1',
    forcePathStyle:
      parseBoolean('S3_FORCE_PATH_STYLE', env.S3_FORCE_PATH_STYLE) ?? endpoint !== undefined,
  };
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    options.credentials = { accessKeyId, secretAccessKey };
    if (env.AWS_SESSION_TOKEN) options.credentials.sessionToken = env.AWS_SESSION_TOKEN;
  } else if (accessKeyId || secretAccessKey) {
    throw new TypeError(
      'S3 storage: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither',
    );
  }
  return options;
}

function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const normalized = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalized)) return false;
  throw new TypeError(`S3 storage: ${name} must be true or false, got "${value}"`);
}
