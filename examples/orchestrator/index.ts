/** The demo orchestrator: plain business logic, no audit calls. */
export { generateSubmissions, type LeadSourceName, type LeadSubmission } from './lead-source.js';
export { ingestLead, type Lead } from './intake.js';
export { qualifyLead, QUALIFYING_SCORE, type Qualification } from './qualify.js';
export { routeLead, type Route } from './route.js';
export { FakeCrmClient, type CrmContact, type CrmUpdate, type FakeCrmOptions } from './crm.js';
export {
  EmailSequencer,
  SEQUENCE_TEMPLATES,
  type EmailSequence,
  type SentEmail,
  type CancelledSequence,
  type SequenceTemplate,
} from './email.js';
export { startWorkflow, stopWorkflow, type WorkflowRun } from './lifecycle.js';
export { CrmTransientError, EmailBouncedError, LeadValidationError } from './errors.js';
export { SeededRandom } from './random.js';
export { createSalesModules, salesStepsOf, type SalesModules, type SalesSteps, type ServiceOptions } from './steps.js';
export { runSalesWorkflow, type SalesWorkflowDeps, type SalesWorkflowSummary } from './workflow.js';
