/**
 * The AuditLogger's LoggerProvider: its `shutdown()` has the signing processor write the shutdown
 * seal first, while the provider still accepts records (an SDK provider refuses records once its
 * shutdown began, so the seal cannot come from the processor's own `shutdown()`). The same holds
 * when a user shuts the provider down directly (`audit.loggerProvider.shutdown()`).
 */
import type { LoggerProviderConfig } from '@opentelemetry/sdk-logs';
import { SanitizingLoggerProvider, type DirectEmitSettings } from './direct-emit.js';

/** What the provider needs from the signer: the seal written right before shutdown. */
export interface ShutdownSealer {
  sealForShutdown(): void;
}

/**
 * A {@link SanitizingLoggerProvider} (its loggers sanitize what they are given) whose shutdown
 * starts with the signer's shutdown seal.
 */
export class SealingLoggerProvider extends SanitizingLoggerProvider {
  /**
   * @param sealer the signing processor among `config.processors`
   * @param settings how records emitted through `getLogger(…)` loggers are sanitized
   */
  constructor(
    config: LoggerProviderConfig,
    private readonly sealer: ShutdownSealer,
    settings: DirectEmitSettings,
  ) {
    super(config, settings);
  }

  /** Writes the shutdown seal (once), then shuts down the provider and its processors. */
  override shutdown(): Promise<void> {
    this.sealer.sealForShutdown();
    return super.shutdown();
  }
}
