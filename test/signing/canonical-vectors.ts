/**
 * Fixed signing vectors: log records with awkward content (unicode, nested maps, arrays, numbers
 * such as -0 and 1e21, long strings, keys needing sorting, values JSON cannot carry) and the exact
 * journal lines the signer writes for them under {@link VECTOR_KEY} in stream {@link VECTOR_STREAM}.
 * The expected lines were written by the signer as released, so any change to the canonical
 * bytes or to the signature shows up as a difference here, whatever path the signer takes.
 */
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber, type LogRecord } from '@opentelemetry/api-logs';
import { SEAL_EVENT_NAME, SHUTDOWN_SEAL_REASON, SIGNING_ATTR } from '../../src/record/record-kinds.js';

/** The HMAC key (base64) the vectors are signed with, under key id {@link VECTOR_KID}. */
export const VECTOR_KEY = Buffer.from(
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  'hex',
).toString('base64');
export const VECTOR_KID = 'kv';
export const VECTOR_STREAM = 'vec0000000000001';
/** The head of the stream the vectors' stream follows (linked from its first record). */
export const VECTOR_PREVIOUS = { stream: 'vec0000000000000', seq: 7, sig: 'previous-head-sig' };

/** A map whose own `__proto__` key is data (as JSON.parse makes it). */
const protoKey = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
/** A text of several kilobytes, longer than the signer's first buffers. */
export const LONG_TEXT = 'long ' + 'x'.repeat(5000) + ' ü€😀 ' + 'y'.repeat(3000);

/** The records, emitted in this order into one stream; each carries a fixed timestamp. */
export function vectorRecords(): LogRecord[] {
  const at = (i: number): [number, number] => [1_790_000_000 + i, 123_456_789 + i];
  const plain = (i: number, attributes: LogRecord['attributes'], body: LogRecord['body']): LogRecord => ({
    timestamp: at(i),
    eventName: 'orchestrator.lead.ingested',
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body,
    attributes,
  });
  return [
    // keys in canonical order, as the logger hands them over
    plain(
      0,
      {
        'orchestrator.event.type': 'lead_ingested',
        'orchestrator.lead.data': {
          address: '[REDACTED:field]',
          budget_eur: 25.6,
          company: 'Müller GmbH',
          score: 83,
          tags: ['enterprise', 'b2b'],
          utm: { campaign: 'q1-launch', source: 'webinar' },
        },
        'orchestrator.lead.id': 'LEAD-100001',
        'orchestrator.lead.source': 'webinar',
        'orchestrator.workflow': 'partner',
      },
      'Lead LEAD-100001 ingested from webinar',
    ),
    // keys needing sorting at every depth
    plain(1, { z: 1, a: { y: [3, { d: 1, c: 2 }], b: 'é' }, M: true, m: false, _: null }, 'sorted?'),
    // numbers
    plain(
      2,
      {
        n: [
          -0,
          0,
          1e21,
          1e-7,
          123456789012345680000,
          0.1 + 0.2,
          -1.5e-300,
          5e-324,
          Number.MAX_SAFE_INTEGER,
          2 ** 53 + 2,
        ],
      },
      { neg: -0, big: 1e21 },
    ),
    // unicode and escapes
    plain(
      3,
      {
        text: 'quote " backslash \\ slash / tab \t nl \n cr \r nul \u0000 bell \u0007 del \u007f',
        seps: 'line\u2028para\u2029',
        emoji: '😀👩‍👩‍👧 é vs e\u0301 ß ﬁ İ',
        rtl: 'שלום \u202e evil \u202c',
        lone: 'high \ud83d alone, low \ude00 alone',
        ключ: 'значение',
        '😀': 'emoji key',
        'e\u0301': 'combining key',
        é: 'precomposed key',
      },
      'body with ünïcödé and "quotes"',
    ),
    // long strings, deep nesting, empty containers
    plain(
      4,
      { long: LONG_TEXT, deep: { a: { b: { c: { d: { e: [[[['bottom']]]] } } } } }, empty: {}, none: [] },
      LONG_TEXT,
    ),
    // integer-like keys (JavaScript lists them first), a __proto__ data key, and undefined members
    plain(
      5,
      { '10': 'ten', '2': 'two', '1a': 'one-a', a: undefined, b: [undefined, null], proto: protoKey as never },
      { '3': 3, '01': 1, x: undefined },
    ),
    // values JSON cannot carry (converted and counted), and a body that is not a string
    plain(
      6,
      {
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        bytes: new Uint8Array([0, 1, 2, 250, 255]),
        date: new Date(0) as unknown as string,
      },
      [1, 'two', { three: 3 }],
    ),
    // no event name, no severity text, no body, a span context
    {
      timestamp: at(7),
      severityNumber: SeverityNumber.ERROR,
      attributes: { 'orchestrator.error.kind': 'timeout' },
      context: trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
      }),
    },
    // attribute keys of the audit namespace given by the caller (the signer adds its own after them)
    plain(8, { 'audit.custom': 'kept', 'orchestrator.lead.id': 'LEAD-1' }, ''),
    // the closing seal (the signer fills in its count and head)
    {
      timestamp: at(9),
      eventName: SEAL_EVENT_NAME,
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'audit seal (shutdown)',
      attributes: { [SIGNING_ATTR.sealReason]: SHUTDOWN_SEAL_REASON },
    },
  ];
}

/** The journal lines the signer wrote for {@link vectorRecords}, in order. */
export const EXPECTED_LINES: readonly string[] = [
  '{"rec":{"attrs":{"audit.stream.previous":{"seq":7,"sig":"previous-head-sig","stream":"vec0000000000000"},"orchestrator.event.type":"lead_ingested","orchestrator.lead.data":{"address":"[REDACTED:field]","budget_eur":25.6,"company":"M\u00fcller GmbH","score":83,"tags":["enterprise","b2b"],"utm":{"campaign":"q1-launch","source":"webinar"}},"orchestrator.lead.id":"LEAD-100001","orchestrator.lead.source":"webinar","orchestrator.workflow":"partner"},"body":"Lead LEAD-100001 ingested from webinar","event":"orchestrator.lead.ingested","kid":"kv","prev":"","seq":1,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:20.123Z","tsNanos":456789,"v":1},"sig":"Ww4hOyCYQzUQlJxXyI_VRlBIur55SpJWZTSi10-ol80"}',
  '{"rec":{"attrs":{"M":true,"_":null,"a":{"b":"\u00e9","y":[3,{"c":2,"d":1}]},"m":false,"z":1},"body":"sorted?","event":"orchestrator.lead.ingested","kid":"kv","prev":"Ww4hOyCYQzUQlJxXyI_VRlBIur55SpJWZTSi10-ol80","seq":2,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:21.123Z","tsNanos":456790,"v":1},"sig":"M6hghvWpGu9sMZpBX7lRL9_EPwIJNy5rJ-_XzWb8Ksk"}',
  '{"rec":{"attrs":{"n":[0,0,1e+21,1e-7,123456789012345680000,0.30000000000000004,-1.5e-300,5e-324,9007199254740991,9007199254740994]},"body":{"big":1e+21,"neg":0},"event":"orchestrator.lead.ingested","kid":"kv","prev":"M6hghvWpGu9sMZpBX7lRL9_EPwIJNy5rJ-_XzWb8Ksk","seq":3,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:22.123Z","tsNanos":456791,"v":1},"sig":"tBTi7poJTn9ZybhgIERaL8-bkK8SDe7NNTFktC8CuhA"}',
  '{"rec":{"attrs":{"emoji":"\ud83d\ude00\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67 \u00e9 vs e\u0301 \u00df \ufb01 \u0130","e\u0301":"combining key","lone":"high \\ud83d alone, low \\ude00 alone","rtl":"\u05e9\u05dc\u05d5\u05dd \u202e evil \u202c","seps":"line\u2028para\u2029","text":"quote \\" backslash \\\\ slash / tab \\t nl \\n cr \\r nul \\u0000 bell \\u0007 del \u007f","\u00e9":"precomposed key","\u043a\u043b\u044e\u0447":"\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435","\ud83d\ude00":"emoji key"},"body":"body with \u00fcn\u00efc\u00f6d\u00e9 and \\"quotes\\"","event":"orchestrator.lead.ingested","kid":"kv","prev":"tBTi7poJTn9ZybhgIERaL8-bkK8SDe7NNTFktC8CuhA","seq":4,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:23.123Z","tsNanos":456792,"v":1},"sig":"4WXUt6n-J8Ak8m06La92UnMOE2SlakEtnF26j1fvsC4"}',
  '{"rec":{"attrs":{"deep":{"a":{"b":{"c":{"d":{"e":[[[["bottom"]]]]}}}}},"empty":{},"long":"' +
    LONG_TEXT +
    '","none":[]},"body":"' +
    LONG_TEXT +
    '","event":"orchestrator.lead.ingested","kid":"kv","prev":"4WXUt6n-J8Ak8m06La92UnMOE2SlakEtnF26j1fvsC4","seq":5,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:24.123Z","tsNanos":456793,"v":1},"sig":"bJr1lvp2TCCrTGTRmjkHpbG1VMNZLN_CxNI7I7F5Sf8"}',
  '{"rec":{"attrs":{"10":"ten","1a":"one-a","2":"two","b":[null,null],"proto":{"a":1}},"body":{"01":1,"3":3},"event":"orchestrator.lead.ingested","kid":"kv","prev":"bJr1lvp2TCCrTGTRmjkHpbG1VMNZLN_CxNI7I7F5Sf8","seq":6,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:25.123Z","tsNanos":456794,"v":1},"sig":"ZqJqHmTuizmOFx02c48YT3zecutFDzjmTIWlTLeNPOc"}',
  '{"rec":{"attrs":{"bytes":"base64:AAEC+v8=","inf":"Infinity","nan":"NaN"},"body":[1,"two",{"three":3}],"event":"orchestrator.lead.ingested","kid":"kv","prev":"ZqJqHmTuizmOFx02c48YT3zecutFDzjmTIWlTLeNPOc","seq":7,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:26.123Z","tsNanos":456795,"v":1},"sig":"13vLJWSdLiwqubYRmFxtqpRXlYia1Hb4vy3D8ssrX6Q"}',
  '{"rec":{"attrs":{"orchestrator.error.kind":"timeout"},"body":null,"event":null,"kid":"kv","prev":"13vLJWSdLiwqubYRmFxtqpRXlYia1Hb4vy3D8ssrX6Q","seq":8,"sev":null,"sevNum":17,"span":"b7ad6b7169203331","stream":"vec0000000000001","trace":"0af7651916cd43dd8448eb211c80319c","ts":"2026-09-21T14:13:27.123Z","tsNanos":456796,"v":1},"sig":"yayQvhGChviq8D0HpHs3rspwB8OghvrqSi4ULab0itg"}',
  '{"rec":{"attrs":{"audit.custom":"kept","orchestrator.lead.id":"LEAD-1"},"body":"","event":"orchestrator.lead.ingested","kid":"kv","prev":"yayQvhGChviq8D0HpHs3rspwB8OghvrqSi4ULab0itg","seq":9,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:28.123Z","tsNanos":456797,"v":1},"sig":"U4NYXe3TyBrM2-Q2TJpsQ5bPYBBumLComp6bqhhcHl0"}',
  '{"rec":{"attrs":{"audit.seal.count":9,"audit.seal.head":"U4NYXe3TyBrM2-Q2TJpsQ5bPYBBumLComp6bqhhcHl0","audit.seal.reason":"shutdown"},"body":"audit seal (shutdown)","event":"audit.seal","kid":"kv","prev":"U4NYXe3TyBrM2-Q2TJpsQ5bPYBBumLComp6bqhhcHl0","seq":10,"sev":"INFO","sevNum":9,"stream":"vec0000000000001","ts":"2026-09-21T14:13:29.123Z","tsNanos":456798,"v":1},"sig":"eHO5fZx2qby6ymQ1f1FTIQi_vMRfcZbV11ETwdcnT-I"}',
];
