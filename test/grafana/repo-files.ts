/** Test helper: reads committed files of the repository (tests run from dist/test/grafana). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Content of a committed file, or undefined when it does not exist. */
export function readRepoFile(rel: string): string | undefined {
  try {
    return readFileSync(join(REPO_ROOT, rel), 'utf8');
  } catch {
    return undefined;
  }
}

/** File names in a repository directory. */
export function listRepoDir(rel: string): string[] {
  return readdirSync(join(REPO_ROOT, rel)).sort();
}

/** A committed YAML provisioning file, parsed. */
export function readYaml(rel: string): Record<string, unknown> {
  const text = readRepoFile(rel);
  if (text === undefined) throw new Error(`missing ${rel}`);
  return parse(text) as Record<string, unknown>;
}

/** A committed dashboard JSON, parsed. */
export function readDashboard(name: string): Record<string, unknown> {
  const text = readRepoFile(`grafana/dashboards/${name}.json`);
  if (text === undefined) throw new Error(`missing dashboard ${name}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Every value under key `key` anywhere in a JSON/YAML document, with its path. */
export function collect(doc: unknown, key: string, path = '$'): { path: string; value: unknown }[] {
  const out: { path: string; value: unknown }[] = [];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...collect(v, key, `${path}[${i}]`)));
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (k === key) out.push({ path: `${path}.${k}`, value: v });
      out.push(...collect(v, key, `${path}.${k}`));
    }
  }
  return out;
}
