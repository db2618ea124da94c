/**
 * Reading a witness for `audit-cli integrity --witness <spec>`: `loki` (the seals the OTLP path
 * delivered to Loki, at `--loki-url`), `file:PATH` (a file witness: one journal line per seal), or
 * an http(s) URL (a webhook witness receiver; a GET returns what it received, as JSON lines or a
 * JSON array of journal lines, `{canonical, sig}` events, or webhook payloads `{events: […]}`).
 * Unreadable witnesses are CLI errors (exit 3).
 */
import { readFile } from 'node:fs/promises';
import { errorCodeText, errorText } from '../events/error-text.js';
import { SEAL_EVENT_NAME } from '../record/record-kinds.js';
import type { VerifyItem } from '../verify/verify-item.js';
import { CliError } from './errors.js';
import { hasSignedRecords, openSource, type SourceSettings } from './sources.js';

const WITNESS_TIMEOUT_MS = 30_000;

/** The entries of the witness named by `spec`. */
export async function witnessEntries(spec: string, settings: SourceSettings): Promise<VerifyItem[]> {
  if (spec === 'loki') return lokiWitness(settings);
  if (spec.startsWith('file:')) {
    const file = spec.slice('file:'.length);
    if (file === '') throw new CliError('--witness file: needs a path (file:PATH)');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read witness file ${file}: ${errorCodeText(err)}`);
    }
    return parseWitnessText(text, file);
  }
  if (/^https?:\/\//i.test(spec)) return urlWitness(spec);
  throw new CliError(`invalid --witness "${spec}": expected loki, file:PATH or an http(s) URL`);
}

async function lokiWitness(settings: SourceSettings): Promise<VerifyItem[]> {
  const source = await openSource({ ...settings, kind: 'loki' });
  if (!hasSignedRecords(source.query))
    throw new CliError('--witness loki: the loki source cannot return signed records in this build');
  const out: VerifyItem[] = [];
  for await (const item of source.query.signedRecords()) {
    if (eventOf(item.canonical) === SEAL_EVENT_NAME) out.push(item);
  }
  return out;
}

async function urlWitness(url: string): Promise<VerifyItem[]> {
  let origin: string;
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '')
      throw new CliError('--witness URL must not include credentials');
    origin = parsed.origin;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`invalid --witness URL "${url}"`);
  }
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(WITNESS_TIMEOUT_MS) });
    if (!res.ok) throw new CliError(`witness ${origin} answered HTTP ${res.status}`);
    text = await res.text();
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read witness ${origin}: ${errorText(err)}`);
  }
  return parseWitnessText(text, origin);
}

/** Witness entries of a text: JSON lines or one JSON array; locations `<where>:<line>` or `<where>#<index>`. */
export function parseWitnessText(text: string, where: string): VerifyItem[] {
  const out: VerifyItem[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(trimmed);
    } catch {
      throw new CliError(`witness ${where}: not a JSON array nor JSON lines`);
    }
    (items as unknown[]).forEach((item, i) => collect(item, `${where}#${i + 1}`, out));
    return out;
  }
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch {
      item = undefined;
    }
    collect(item, `${where}:${i + 1}`, out, line);
  });
  return out;
}

/** Adds the entries `item` holds: a journal line `{rec, sig}`, an event `{canonical, sig}`, or a payload `{events}`. */
function collect(item: unknown, location: string, out: VerifyItem[], line?: string): void {
  if (typeof item === 'object' && item !== null) {
    const o = item as { rec?: unknown; sig?: unknown; canonical?: unknown; events?: unknown };
    if (Array.isArray(o.events)) {
      o.events.forEach((event, i) => collect(event, `${location}.${i + 1}`, out));
      return;
    }
    if (typeof o.canonical === 'string' && typeof o.sig === 'string') {
      out.push({ canonical: o.canonical, sig: o.sig, location });
      return;
    }
    if (typeof o.rec === 'object' && o.rec !== null && typeof o.sig === 'string') {
      const canonical = line !== undefined ? canonicalOfLine(line) : undefined;
      out.push({
        ...(canonical !== undefined ? { canonical } : {}),
        record: item as VerifyItem['record'] & object,
        sig: o.sig,
        location,
      });
      return;
    }
  }
  out.push({ canonical: '', sig: '', location }); // unreadable: the verifier reports it
}

/** The `rec` text of a journal line as stored (`{"rec":…,"sig":"…"}`), so an edited entry is seen as edited. */
function canonicalOfLine(line: string): string | undefined {
  const end = line.lastIndexOf(',"sig":');
  return line.startsWith('{"rec":') && end > 7 ? line.slice(7, end) : undefined;
}

function eventOf(canonical: string): unknown {
  try {
    return (JSON.parse(canonical) as { event?: unknown }).event;
  } catch {
    return undefined;
  }
}
