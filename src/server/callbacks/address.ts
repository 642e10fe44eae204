/**
 * Which resolved addresses a callback may reach. Without the target's allowPrivateAddresses, a
 * callback must not become a way into the server's own network (SSRF): loopback, private,
 * link-local, carrier-grade NAT, ULA, multicast and reserved ranges are refused.
 */
import { BlockList, isIPv4 } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['100::', 64],
  ['2001:db8::', 32],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

// IPv4 carried in IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, IPv4-compatible ::a.b.c.d).
const EMBEDDED_V4 = /^(?:::ffff:|64:ff9b::|::)(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i;

/** True when a resolved address is private in the sense above. */
export function isPrivateAddress(address: string): boolean {
  if (isIPv4(address)) return blocked.check(address, 'ipv4');
  const lower = address.toLowerCase();
  const embedded = EMBEDDED_V4.exec(lower);
  if (embedded) return blocked.check(embedded[1]!, 'ipv4');
  // Hex-written mapped addresses (::ffff:7f00:1) carry IPv4 too.
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return blocked.check(lower, 'ipv6');
}
