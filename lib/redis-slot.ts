// Redis Cluster's hash slot of a key: CRC16 (XMODEM) of the key's hash tag, modulo 16384.
// The hash tag is the part between the first "{" and the next "}" when that part is not
// empty; otherwise the whole key. Shared by the app (which groups multi-owner scripts by
// slot, lib/redis.ts) and the local REST bridge (which routes commands to cluster nodes),
// so both agree with CLUSTER KEYSLOT (checked against a real cluster in tests/redis-cluster).
// No imports: the bridge runs outside Next.js.

export const SLOT_COUNT = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** The slot Redis Cluster assigns to `key` (its UTF-8 bytes, as Redis sees them). */
export function keySlot(key: string | Uint8Array): number {
  const bytes = typeof key === "string" ? Buffer.from(key, "utf8") : key;
  const open = bytes.indexOf(0x7b); // {
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // }
    if (close > open + 1) return crc16(bytes, open + 1, close) % SLOT_COUNT;
  }
  return crc16(bytes, 0, bytes.length) % SLOT_COUNT;
}
