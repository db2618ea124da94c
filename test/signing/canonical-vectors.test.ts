import { expect } from 'chai';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { SIGNING_FAILURE } from '../../src/processors/signing/attributes.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { canonicalContent } from '../../src/record/audit-record.js';
import { decodeJournalLine, journalLineOf } from '../../src/record/journal-line.js';
import { signedPartsOf } from '../../src/record/signed-log.js';
import { verifyLines } from '../verify/helpers.js';
import {
  EXPECTED_LINES,
  VECTOR_KEY,
  VECTOR_KID,
  VECTOR_PREVIOUS,
  VECTOR_STREAM,
  vectorRecords,
} from './canonical-vectors.js';

/** Keeps the journal line of every record it sees. */
class LineCollector implements LogRecordProcessor {
  readonly lines: string[] = [];
  onEmit(log: ReadableLogRecord): void {
    const parts = signedPartsOf(log);
    this.lines.push(parts ? journalLineOf(parts) : 'unsigned');
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Signs the vector records in a real LoggerProvider; returns their journal lines and the diagnostics. */
async function signVectors(): Promise<{ lines: string[]; failures: string[] }> {
  const diagnostics = new AuditDiagnostics();
  const failures: string[] = [];
  diagnostics.onFailure((kind, detail) => failures.push(`${kind}: ${detail ?? ''}`));
  const signer = new SigningProcessor({
    keyring: keyringOf({ [VECTOR_KID]: VECTOR_KEY }),
    streamId: VECTOR_STREAM,
    previous: VECTOR_PREVIOUS,
    sealIntervalMs: 0,
    sealEveryRecords: 0,
    diagnostics,
  });
  const collector = new LineCollector();
  const provider = new LoggerProvider({ processors: [signer, collector] });
  signer.bindProvider(provider);
  const logger = provider.getLogger('vectors');
  for (const record of vectorRecords()) logger.emit(record);
  await provider.shutdown();
  return { lines: collector.lines, failures };
}

describe('signing vectors: fixed records sign to fixed journal lines', () => {
  it('writes exactly the lines the released signer wrote, byte for byte', async () => {
    const { lines } = await signVectors();
    expect(lines).to.have.length(EXPECTED_LINES.length);
    lines.forEach((line, i) => expect(line, `record ${i + 1}`).to.equal(EXPECTED_LINES[i]));
  });

  it('expected lines are canonical, decode, and verify as one sealed stream', () => {
    for (const line of EXPECTED_LINES) {
      const decoded = decodeJournalLine(line);
      expect(decoded.ok, line.slice(0, 80)).to.equal(true);
      if (decoded.ok) expect(canonicalContent(decoded.record.rec)).to.equal(decoded.canonical);
    }
    const report = verifyLines(EXPECTED_LINES, {}, keyringOf({ [VECTOR_KID]: VECTOR_KEY }));
    expect(report.recordsVerified).to.equal(EXPECTED_LINES.length);
    expect(report.records?.map((r) => r.class)).to.deep.equal(EXPECTED_LINES.map(() => 'ok'));
    expect(report.streams.map((s) => [s.stream, s.sealed])).to.deep.equal([[VECTOR_STREAM, true]]);
    // the only finding: the stream it continues is not among these lines
    expect(report.findings.map((f) => [f.class, f.stream, f.seq])).to.deep.equal([
      ['missing-stream', VECTOR_PREVIOUS.stream, VECTOR_PREVIOUS.seq],
    ]);
  });

  it('counts the converted values of the records that carried them', async () => {
    const { failures } = await signVectors();
    expect(failures).to.deep.equal([
      `${SIGNING_FAILURE.value}: record ${VECTOR_STREAM}#6 carried values JSON cannot hold; converted`,
      `${SIGNING_FAILURE.value}: record ${VECTOR_STREAM}#7 carried values JSON cannot hold; converted`,
    ]);
  });
});
