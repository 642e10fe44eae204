/** An MD5 in hex, as S3, Swift and the local store give a part's (and a single-request object's) ETag. */
export const HEX_MD5 = /^[0-9a-f]{32}$/i;

/** The base64 of the 16 bytes whose hex is `hex` (Content-MD5 wants base64). */
export function hexToBase64(hex: string): string {
  let binary = '';
  for (let i = 0; i < hex.length; i += 2)
    binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}
