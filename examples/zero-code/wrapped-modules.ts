/**
 * The "wrap" way on the demo orchestrator: the same step → event mapping as
 * `sales-audit.json` (zero-code), applied with `instrument()` to the modules and service
 * instances `runSalesWorkflow` looks its steps up in. No audit calls in the workflow:
 *
 *   const modules = wrappedSalesModules(createSalesModules({ seed }), { audit, workflow: 'sales' });
 *   await runSalesWorkflow(submissions, { workflow: 'sales', modules });
 */
import { readFileSync } from 'node:fs';
import { instrument } from '../../src/instrumentation/instrument.js';
import { type InstrumentOptions, type InstrumentSpec } from '../../src/instrumentation/spec.js';
import type { SalesModules } from '../orchestrator/steps.js';

/** The specs of `sales-audit.json` by module file (`intake`, `qualify`, …) → export → method/function. */
export interface SalesSpecs {
  readonly functions: Readonly<Record<string, InstrumentSpec>>;
  readonly classes: Readonly<Record<string, Readonly<Record<string, InstrumentSpec>>>>;
}

/** Reads the zero-code config `configPath` (default: the repo's examples/zero-code/sales-audit.json) as specs by module base name. */
export function salesSpecs(configPath: string): SalesSpecs {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as {
    modules: { module: string; functions?: InstrumentSpec; classes?: Record<string, InstrumentSpec> }[];
  };
  const functions: Record<string, InstrumentSpec> = {};
  const classes: Record<string, Record<string, InstrumentSpec>> = {};
  for (const m of config.modules) {
    const base = m.module.replace(/^.*\//, '').replace(/\.js$/, '');
    if (m.functions) functions[base] = m.functions;
    if (m.classes) classes[base] = m.classes;
  }
  return { functions, classes };
}

/** `modules` with every step audited per `specs` (namespaces → wrapped copies; service instances → wrapped in place). */
export function wrappedSalesModules(
  modules: SalesModules,
  specs: SalesSpecs,
  options: InstrumentOptions,
): SalesModules {
  const f = (name: string): InstrumentSpec => specs.functions[name] ?? {};
  const c = (file: string, cls: string): InstrumentSpec => specs.classes[file]?.[cls] ?? {};
  return {
    lifecycle: instrument(modules.lifecycle, f('lifecycle'), options),
    intake: instrument(modules.intake, f('intake'), options),
    qualification: instrument(modules.qualification, f('qualify'), options),
    routing: instrument(modules.routing, f('route'), options),
    crm: instrument(modules.crm, c('crm', 'FakeCrmClient'), options),
    email: instrument(modules.email, c('email', 'EmailSequencer'), options),
  };
}
