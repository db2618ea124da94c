/**
 * Test helper: the field names of the foundation SDK's TypeScript interfaces, read from its
 * published `types.gen.d.ts` files, so committed JSON can be checked against the SDK's model
 * (no unknown key, every required key present) at run time.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Fields of one interface: name → required. */
export type InterfaceFields = Map<string, boolean>;

/** Reads `export interface <name> { … }` of the SDK module `mod` (e.g. `dashboard`). */
export function sdkInterface(mod: string, name: string): InterfaceFields {
  const entry = fileURLToPath(import.meta.resolve(`@grafana/grafana-foundation-sdk/${mod}`));
  const source = readFileSync(join(dirname(entry), 'types.gen.d.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const start = source.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`interface ${name} not found in the SDK module ${mod}`);
  const fields: InterfaceFields = new Map();
  let depth = 0;
  let line = '';
  let lineDepth = 1;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    const c = source[i]!;
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (depth === 0) break;
    if (c === '\n') {
      // fields are the lines starting at nesting depth 1: `    name?: type;` (the type may open a block)
      const m = lineDepth === 1 ? /^\s{4}"?([A-Za-z_$][\w$]*)"?(\?)?:/.exec(line) : null;
      if (m) fields.set(m[1]!, m[2] !== '?');
      line = '';
      lineDepth = depth;
    } else line += c;
  }
  if (fields.size === 0) throw new Error(`no fields parsed for ${mod}.${name}`);
  return fields;
}

/** Problems of `obj` against `fields`: unknown keys and missing required keys. */
export function conformance(obj: Record<string, unknown>, fields: InterfaceFields, where: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(obj)) if (!fields.has(key)) problems.push(`${where}: unknown key "${key}"`);
  for (const [key, required] of fields)
    if (required && !(key in obj)) problems.push(`${where}: missing required key "${key}"`);
  return problems;
}
