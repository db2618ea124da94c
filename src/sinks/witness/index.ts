/** Seal witnesses: copies of every seal kept outside the journal's reach. See docs/integrity.md. */
export { FileWitness } from './file-witness.js';
export { WebhookWitness, type WebhookWitnessOptions } from './webhook-witness.js';
export { WITNESS_FAILURE } from './witness-failure.js';
export { createWitness, type WitnessTarget } from './witness-target.js';
