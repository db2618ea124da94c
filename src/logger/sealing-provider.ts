/**
 * The AuditLogger's LoggerProvider: its `shutdown()` has the signing processor write the shutdown
 * seal first, while the provider still accepts records (an SDK provider refuses records once its
 * shutdown began, so the seal cannot come from the processor's own `shutdown()`). The same holds
 * when a user shuts the provider down directly (`audit.loggerProvider.shutdown()`).
 */
import { LoggerProvider, type LoggerProviderConfig } from '@opentelemetry/sdk-logs';

/** What the provider needs from the signer: the seal written right before shutdown. */
export interface ShutdownSealer {
  sealForShutdown(): void;
}

/** A {@link LoggerProvider} whose shutdown starts with the signer's shutdown seal. */
export class SealingLoggerProvider extends LoggerProvider {
  /** @param sealer the signing processor among `config.processors`. */
  constructor(
    config: LoggerProviderConfig,
    private readonly sealer: ShutdownSealer,
  ) {
    super(config);
  }

  /** Writes the shutdown seal (once), then shuts down the provider and its processors. */
  override shutdown(): Promise<void> {
    this.sealer.sealForShutdown();
    return super.shutdown();
  }
}
