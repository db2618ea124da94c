/**
 * Child-process entry of the benchmark: measures one variant in a fresh V8 heap and prints its
 * {@link Measurement} plus the delivered count as one JSON line. Usage: `node dist/bench/run-variant.js <variant> <events>`.
 */
import { measure } from './harness.js';
import { buildVariant, type VariantName } from './variants.js';
import { generateLeads } from './workload.js';

const [name, eventsArg] = process.argv.slice(2) as [VariantName, string | undefined];
const events = Number(eventsArg ?? '200000');
const leads = generateLeads(1000);
const variant = buildVariant(name, leads);
const result = await measure(name, variant.call, events, variant.settle);
const delivered = variant.delivered();
await variant.close();
process.stdout.write(JSON.stringify({ ...result, delivered }) + '\n');
