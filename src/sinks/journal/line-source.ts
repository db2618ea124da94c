/**
 * Splits a byte stream into lines on `\n`, keeping byte-exact content (UTF-8 decoded per line)
 * and telling whether the last line was terminated.
 */
import type { Readable } from 'node:stream';

/** One raw line of a file. */
export interface RawLine {
  /** The line without its `\n`. */
  readonly text: string;
  /** 1-based line number in the (decompressed) file. */
  readonly lineNo: number;
  /** False only for a final line that has no `\n` after it. */
  readonly terminated: boolean;
}

/** Yields the lines of `stream`. A trailing `\n` does not produce an empty last line. */
export async function* linesOf(stream: Readable): AsyncGenerator<RawLine> {
  let carry: Buffer[] = [];
  let lineNo = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const text = carry.length === 0 ? piece.toString('utf8') : Buffer.concat([...carry, piece]).toString('utf8');
      carry = [];
      yield { text, lineNo: ++lineNo, terminated: true };
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length > 0) yield { text: Buffer.concat(carry).toString('utf8'), lineNo: lineNo + 1, terminated: false };
}
