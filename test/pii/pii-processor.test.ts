import { expect } from 'chai';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { PiiAnonymizingProcessor } from '../../src/processors/pii/pii-processor.js';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';

describe('PII processor: behaviour', () => {
  const exporter = new InMemoryLogRecordExporter();
  const diagnostics = new AuditDiagnostics();
  const pii = new PiiAnonymizingProcessor({ diagnostics, skipKeys: ['keep.me'] });
  const provider = new LoggerProvider({ processors: [pii, new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('pii-unit');
  afterEach(() => exporter.reset());
  after(() => provider.shutdown());

  it('leaves audit.* keys, skipKeys and seal records alone, and scans routing values and attribute keys', () => {
    const mail = 'jane@example.com';
    const attributes = {
      'orchestrator.lead.id': mail,
      'orchestrator.workflow': mail,
      'orchestrator.event.type': mail,
      'audit.x': mail,
      'keep.me': mail,
      [mail]: 'v',
    };
    logger.emit({ eventName: 'orchestrator.lead.ingested', attributes, body: mail });
    logger.emit({ eventName: 'audit.seal', attributes: { note: mail }, body: mail });
    const [rec, seal] = exporter.getFinishedLogRecords();
    const redacted = '[REDACTED:email]';
    expect(rec?.attributes).to.deep.equal({
      'orchestrator.lead.id': redacted,
      'orchestrator.workflow': redacted,
      'orchestrator.event.type': redacted,
      'audit.x': mail,
      'keep.me': mail,
      [redacted]: 'v',
    });
    expect(rec?.body).to.equal('[REDACTED:email]');
    expect(seal?.attributes['note']).to.equal(mail);
  });

  it('can be switched off and on (compliance mode)', () => {
    pii.setAnonymizing(false);
    logger.emit({ body: 'call +1 415 555 0100' });
    pii.setAnonymizing(true);
    logger.emit({ body: 'call +1 415 555 0100' });
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).to.deep.equal([
      'call +1 415 555 0100',
      'call [REDACTED:phone]',
    ]);
  });

  it('does not change the caller’s body object (copy on write)', () => {
    const body = { contact: { email: 'x@y.io' }, list: ['a@b.io'] };
    logger.emit({ body });
    expect(body).to.deep.equal({ contact: { email: 'x@y.io' }, list: ['a@b.io'] });
    expect(exporter.getFinishedLogRecords()[0]?.body).to.deep.equal({
      contact: { email: '[REDACTED:email]' },
      list: ['[REDACTED:email]'],
    });
  });

  it('redacts what it cannot scan and counts it, never throwing', () => {
    let deep: Record<string, unknown> = { leaf: 'x@y.io' };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    logger.emit({ body: deep as never });
    expect(JSON.stringify(exporter.getFinishedLogRecords()[0]?.body))
      .to.include('[REDACTED:too-deep]')
      .and.not.include('x@y.io');
    expect(diagnostics.total('pii.too-deep')).to.equal(1);
  });

  it('reuses a remembered value only under the same key at the same position', () => {
    // values repeated at one position are not scanned again; under another key (here a PII field
    // name, then a plain one) the same text has another anonymized form
    const records: Record<string, unknown>[] = [
      { note: 'carol@example.com', data: { note: 'carol@example.com' } },
      { note: 'carol@example.com', data: { note: 'carol@example.com' } },
      { name: 'Bob', data: { name: 'Bob' } },
      { note: 'Bob', data: { note: 'Bob' } },
    ];
    for (const attributes of records) logger.emit({ attributes: attributes as never });
    expect(exporter.getFinishedLogRecords().map((r) => r.attributes)).to.deep.equal([
      { note: '[REDACTED:email]', data: { note: '[REDACTED:email]' } },
      { note: '[REDACTED:email]', data: { note: '[REDACTED:email]' } },
      { name: '[REDACTED:field]', data: { name: '[REDACTED:field]' } },
      { note: 'Bob', data: { note: 'Bob' } },
    ]);
  });

  it('moves an attribute under a renamed key without copying it or losing it at the count limit', () => {
    const limited = new InMemoryLogRecordExporter();
    const seen: unknown[] = [];
    // sees the record before the PII processor: the map the SDK copied the attribute into
    const before = {
      onEmit: (log: { attributes: Record<string, unknown> }) => seen.push(log.attributes['jane@example.com']),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const limits = new LoggerProvider({
      logRecordLimits: { attributeCountLimit: 3 },
      processors: [before, new PiiAnonymizingProcessor(), new SimpleLogRecordProcessor({ exporter: limited })],
    });
    limits.getLogger('limits').emit({
      attributes: { 'orchestrator.lead.id': 'LEAD-1', 'jane@example.com': { phone: '+44 20 7946 0958' }, z: 1 },
    });
    const [record] = limited.getFinishedLogRecords();
    expect(record?.attributes).to.deep.equal({
      'orchestrator.lead.id': 'LEAD-1',
      z: 1,
      '[REDACTED:email]': { phone: '[REDACTED:phone]' },
    });
    expect(record?.droppedAttributesCount).to.equal(0);
    expect(record?.attributes['[REDACTED:email]'], 'the same map, anonymized in place').to.equal(seen[0]);
  });

  it('refuses pseudonymize without a key at construction', () => {
    expect(() => new PiiAnonymizingProcessor({ mode: 'pseudonymize' })).to.throw(/needs a key/);
  });

  it('detects examples of every format and ignores look-alikes', () => {
    const d = new PiiDetectors();
    const kinds = (s: string): string[] => (d.find(s) ?? []).map((m) => `${m.kind}:${s.slice(m.start, m.end)}`);
    expect(kinds('+1 415 555 0100, +44 20 7946 0958, (415) 555-0100, 0049-30-123456')).to.deep.equal([
      'phone:+1 415 555 0100',
      'phone:+44 20 7946 0958',
      'phone:(415) 555-0100',
      'phone:0049-30-123456',
    ]);
    expect(kinds('4242 4242 4242 4242 / 4242424242424241 / DE89 3704 0044 0532 0130 00')).to.deep.equal([
      'card:4242 4242 4242 4242',
      'iban:DE89 3704 0044 0532 0130 00',
    ]);
    expect(kinds('10.0.0.1 2001:db8::1 fe80:0000:0000:0000:0202:b3ff:fe1e:8329')).to.deep.equal([
      'ipv4:10.0.0.1',
      'ipv6:2001:db8::1',
      'ipv6:fe80:0000:0000:0000:0202:b3ff:fe1e:8329',
    ]);
    expect(
      kinds(
        'LEAD-000123 2026-11-26T18:56:08.123Z 2026-11-26 18:56:08 1234.56 550e8400-e29b-41d4-a716-446655440000 seq 1 2 3 4 5 6 7 8 9 std::vector 1732636800',
      ),
    ).to.deep.equal([]);
  });
});
