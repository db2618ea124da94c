/**
 * A minimal protocol-buffers wire-format writer: varints, fixed 32/64-bit values, strings, bytes
 * and nested (length-delimited) messages, into one growing buffer. Just what the OTLP logs
 * encoding of the shipper needs (see `otlp-encoding.ts`).
 */

/** Wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

/** Room reserved in front of a nested message for its length (a varint of up to 2^35). */
const LENGTH_ROOM = 5;

/** Writes protobuf fields into a growing buffer. */
export class ProtobufWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly starts: number[] = [];

  constructor(initialSize = 4096) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far (a copy). */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  /** Forgets what was written (keeps the buffer). */
  reset(): void {
    this.pos = 0;
    this.starts.length = 0;
  }

  /** A varint field (uint32/uint64/enum/bool; a negative int64 as its 10-byte two's complement). */
  varintField(field: number, value: number): void {
    this.tag(field, VARINT);
    this.varint(value);
  }

  /** A fixed64 field from a bigint (e.g. nanoseconds since the epoch). */
  fixed64Field(field: number, value: bigint): void {
    this.tag(field, FIXED64);
    this.room(8);
    this.buf.writeBigUInt64LE(value, this.pos);
    this.pos += 8;
  }

  /** A double field. */
  doubleField(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.room(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** A fixed32 field. */
  fixed32Field(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.room(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /** A string field (UTF-8). */
  stringField(field: number, value: string): void {
    this.tag(field, LEN);
    if (value.length < 128 && this.writeShortAscii(value)) return;
    const max = value.length * 3;
    if (max < 128) {
      // the length fits one byte whatever the encoding: write in place
      this.room(1 + max);
      const n = this.buf.write(value, this.pos + 1, 'utf8');
      this.buf[this.pos] = n;
      this.pos += 1 + n;
      return;
    }
    const n = Buffer.byteLength(value, 'utf8');
    this.varint(n);
    this.room(n);
    this.buf.write(value, this.pos, n, 'utf8');
    this.pos += n;
  }

  /**
   * Writes a string of fewer than 128 characters, all ASCII, with its one-byte length, byte by
   * byte (cheaper than a native call for short strings). False, with nothing written, otherwise.
   */
  private writeShortAscii(value: string): boolean {
    const n = value.length;
    this.room(1 + n);
    const buf = this.buf;
    const at = this.pos + 1;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[at + i] = c;
    }
    buf[this.pos] = n;
    this.pos = at + n;
    return true;
  }

  /** A bytes field. */
  bytesField(field: number, value: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(value.length);
    this.raw(value);
  }

  /** Bytes already encoded (e.g. whole fields encoded once and reused). */
  raw(value: Uint8Array): void {
    this.room(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Starts a nested message in field `field`; end it with {@link end}. */
  begin(field: number): void {
    this.tag(field, LEN);
    this.room(LENGTH_ROOM);
    this.pos += LENGTH_ROOM;
    this.starts.push(this.pos);
  }

  /** Ends the innermost nested message: writes its length in front of it. */
  end(): void {
    const start = this.starts.pop();
    if (start === undefined) throw new Error('ProtobufWriter.end() without begin()');
    const length = this.pos - start;
    const lengthAt = start - LENGTH_ROOM;
    const size = varintSize(length);
    writeVarintAt(this.buf, lengthAt, length);
    if (size < LENGTH_ROOM) {
      const to = lengthAt + size;
      if (length <= 32) {
        const buf = this.buf;
        for (let i = 0; i < length; i++) buf[to + i] = buf[start + i] as number;
      } else this.buf.copyWithin(to, start, this.pos);
      this.pos -= LENGTH_ROOM - size;
    }
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  private varint(value: number): void {
    this.room(10);
    if (value < 0) {
      // two's complement over 64 bits
      let v = BigInt.asUintN(64, BigInt(value));
      while (v > 0x7fn) {
        this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.buf[this.pos++] = Number(v);
      return;
    }
    this.pos = writeVarintAt(this.buf, this.pos, value);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

/** Bytes of the varint of a non-negative safe integer. */
function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Writes the varint of a non-negative safe integer at `at`; returns the offset after it. */
function writeVarintAt(buf: Buffer, at: number, value: number): number {
  while (value >= 128) {
    buf[at++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  buf[at++] = value;
  return at;
}
