/**
 * The zero-code instrumentation's configuration: which modules to patch and how, as JSON from a
 * file (`AUDIT_INSTRUMENT_CONFIG=/path/to/config.json`) or inline (`AUDIT_INSTRUMENT_CONFIG='{…}'`).
 *
 *   {
 *     "workflow": "sales",
 *     "modules": [
 *       { "module": "./dist/orchestrator/intake.js",           // path (relative to the config file) or package name
 *         "functions": { "ingestLead": { "event": "lead_ingested", "leadId": ["result.id", "args.0.leadId"],
 *                                         "fields": { "source": "result.source", "data": "result" },
 *                                         "operation": "lead.ingest" } },
 *         "classes": { "FakeCrmClient": { "createContact": { "event": "crm_create", … } } } }
 *     ]
 *   }
 *
 * In JSON, extractors are path strings (or `{ "const": value }`); see {@link CallAuditSpec}.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePath } from './extract.js';
import type { CallAuditSpec, InstrumentSpec } from './spec.js';

/** Environment variable naming the config file (or holding inline JSON). */
export const INSTRUMENT_CONFIG_ENV = 'AUDIT_INSTRUMENT_CONFIG';

/** One module to patch when it is loaded. */
export interface ModuleAuditSpec {
  /** Package name (e.g. `my-orchestrator`) or absolute file path (relative paths are resolved against the config file's directory). */
  readonly module: string;
  /** Exported functions by export name. */
  readonly functions?: InstrumentSpec;
  /** Exported classes by export name: their prototype methods by name. */
  readonly classes?: Readonly<Record<string, InstrumentSpec>>;
}

/** The whole configuration. */
export interface ModuleInstrumentationConfig {
  /** Default workflow name. */
  readonly workflow?: string;
  /** Modules to patch. */
  readonly modules: readonly ModuleAuditSpec[];
}

/** A malformed configuration (thrown at start-up, never at a call). */
export class InstrumentConfigError extends Error {
  override readonly name = 'InstrumentConfigError';
}

/** The keys of `T` as a set; the record form makes the compiler reject a missing or extra key when `T` changes. */
function keysOf<T>(keys: Record<keyof T, true>): ReadonlySet<string> {
  return new Set(Object.keys(keys));
}

const CALL_KEYS = keysOf<CallAuditSpec>({
  event: true,
  leadId: true,
  workflow: true,
  workflowFrom: true,
  fields: true,
  operation: true,
  kind: true,
  spanName: true,
});
const MODULE_KEYS = keysOf<ModuleAuditSpec>({ module: true, functions: true, classes: true });
const TOP_KEYS = keysOf<ModuleInstrumentationConfig>({ workflow: true, modules: true });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rejects keys not in `allowed` (a typo such as "leadid" would otherwise be ignored); keys starting with `$` (e.g. `$comment`) are allowed. */
function checkKeys(where: string, value: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key) && !key.startsWith('$'))
      throw new InstrumentConfigError(`${where}: unknown key "${key}" (expected one of ${[...allowed].join(', ')})`);
  }
}

function checkCall(where: string, spec: unknown): CallAuditSpec {
  if (!isObject(spec)) throw new InstrumentConfigError(`${where}: expected an object`);
  checkKeys(where, spec, CALL_KEYS);
  for (const key of ['event', 'workflow', 'operation', 'spanName'] as const) {
    if (spec[key] !== undefined && (typeof spec[key] !== 'string' || spec[key] === ''))
      throw new InstrumentConfigError(`${where}.${key}: expected a non-empty string`);
  }
  if (spec.fields !== undefined && !isObject(spec.fields))
    throw new InstrumentConfigError(`${where}.fields: expected an object of extractors`);
  const paths: unknown[] = [
    spec.workflowFrom,
    ...(Array.isArray(spec.leadId) ? spec.leadId : [spec.leadId]),
    ...Object.values((spec.fields as object | undefined) ?? {}),
  ];
  for (const p of paths) {
    if (typeof p === 'string') {
      try {
        parsePath(p);
      } catch (err) {
        throw new InstrumentConfigError(`${where}: ${(err as Error).message}`);
      }
    } else if (p !== undefined && (typeof p !== 'object' || p === null || !('const' in p))) {
      throw new InstrumentConfigError(`${where}: extractors in JSON are path strings or {"const": value}`);
    }
  }
  if (spec.kind !== undefined && spec.kind !== 'run' && spec.kind !== 'step')
    throw new InstrumentConfigError(`${where}: kind must be "run" or "step"`);
  return spec as CallAuditSpec;
}

function checkSpecs(where: string, value: unknown): InstrumentSpec {
  if (value === undefined) return {};
  if (!isObject(value)) throw new InstrumentConfigError(`${where}: expected an object`);
  for (const [name, spec] of Object.entries(value)) checkCall(`${where}.${name}`, spec);
  return value as InstrumentSpec;
}

/** Validates a parsed config; relative module paths are resolved against `baseDir`. */
export function parseInstrumentConfig(raw: unknown, baseDir: string): ModuleInstrumentationConfig {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { modules?: unknown }).modules)) {
    throw new InstrumentConfigError('config must be an object with a "modules" array');
  }
  const r = raw as { workflow?: unknown; modules: unknown[] };
  checkKeys('config', raw as Record<string, unknown>, TOP_KEYS);
  if (r.workflow !== undefined && typeof r.workflow !== 'string')
    throw new InstrumentConfigError('"workflow" must be a string');
  const modules = r.modules.map((m, i): ModuleAuditSpec => {
    const where = `modules[${i}]`;
    if (typeof m !== 'object' || m === null || typeof (m as { module?: unknown }).module !== 'string') {
      throw new InstrumentConfigError(`${where}: "module" (package name or path) is required`);
    }
    const mod = m as { module: string; functions?: unknown; classes?: unknown };
    checkKeys(where, m as Record<string, unknown>, MODULE_KEYS);
    if (mod.module.trim() === '') throw new InstrumentConfigError(`${where}: "module" is empty`);
    const classes: Record<string, InstrumentSpec> = {};
    if (mod.classes !== undefined) {
      if (!isObject(mod.classes)) throw new InstrumentConfigError(`${where}.classes: expected an object`);
      for (const [cls, methods] of Object.entries(mod.classes))
        classes[cls] = checkSpecs(`${where}.classes.${cls}`, methods);
    }
    const name = mod.module.startsWith('.') ? path.resolve(baseDir, mod.module) : mod.module;
    return { module: name, functions: checkSpecs(`${where}.functions`, mod.functions), classes };
  });
  return { ...(typeof r.workflow === 'string' ? { workflow: r.workflow } : {}), modules };
}

/** The config named by `AUDIT_INSTRUMENT_CONFIG` (file path, or inline JSON starting with `{`); `undefined` when unset. */
export function loadInstrumentConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): ModuleInstrumentationConfig | undefined {
  const value = env[INSTRUMENT_CONFIG_ENV]?.trim();
  if (!value) return undefined;
  if (value.startsWith('{')) return parseInstrumentConfig(parseJson(value, `inline ${INSTRUMENT_CONFIG_ENV}`), cwd);
  const file = path.resolve(cwd, value);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InstrumentConfigError(`cannot read ${INSTRUMENT_CONFIG_ENV} file ${file}: ${(err as Error).message}`);
  }
  return parseInstrumentConfig(parseJson(text, `${INSTRUMENT_CONFIG_ENV} file ${file}`), path.dirname(file));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InstrumentConfigError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Modules of `config` given as file paths that do not exist (a typo, or the app not built yet):
 * they would never be loaded, so nothing would be audited. Package names are not checked.
 */
export function missingModuleFiles(config: ModuleInstrumentationConfig): string[] {
  return config.modules.map((m) => m.module).filter((m) => path.isAbsolute(m) && !existsSync(m));
}
