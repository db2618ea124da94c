/**
 * The signing processor: turns every log record into a signed link of a hash chain.
 *
 * For each record it builds the {@link AuditRecordContent} (stream, seq, prev, kid, time, event,
 * severity, trace ids, body, attributes), serializes it once in canonical form, signs it with
 * HMAC-SHA256 under the active key, and then sets the record's body to the canonical string and
 * the attributes `audit.sig`, `audit.stream`, `audit.seq`, `audit.kid`. Sinks placed after it read
 * those back with `signedPartsOf`. Seal records committing to the count and head of the chain are
 * written periodically and at shutdown. See docs/integrity.md.
 */
import { randomBytes } from 'node:crypto';
import { logs, SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import type { LoggerProvider, LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { defaultDiagnostics, type AuditDiagnostics } from '../../events/diagnostics.js';
import { errorText } from '../../events/error-text.js';
import { ATTR, SCOPE_NAME } from '../../events/semconv.js';
import type { LossRecorder, RecordLoss } from '../../record/loss-record.js';
import {
  FLUSH_SEAL_REASON,
  LOSS_ATTR,
  LOSS_EVENT_NAME,
  MANUAL_SEAL_REASON,
  PERIODIC_SEAL_REASON,
  SEAL_EVENT_NAME,
  SHUTDOWN_SEAL_REASON,
  SIGNING_ATTR,
} from '../../record/record-kinds.js';
import { recordHash } from '../../record/seal-epoch.js';
import type { StreamHead } from '../../record/stream-head.js';
import { SIGNING_FAILURE } from './attributes.js';
import { AuditKeyError, loadKeyring, loadOptionalKeyring, type Keyring } from './keys.js';
import { RecordSerializer } from './record-serializer.js';
import { SealSigner } from './seal-signer.js';
import {
  DEFAULT_SEAL_EPOCH_MS,
  DEFAULT_SEAL_EVERY_RECORDS,
  DEFAULT_SEAL_INTERVAL_MS,
  sealSetting,
  sealStateOf,
  type SigningProcessorOptions,
} from './signing-options.js';

export type { SigningProcessorOptions } from './signing-options.js';

/** Signs log records into a per-stream hash chain and writes seal records. `onEmit` never throws. */
export class SigningProcessor implements LogRecordProcessor, LossRecorder {
  /** This instance's stream id. */
  readonly streamId: string;
  private readonly keyring: Keyring | undefined;
  /** Ed25519 sealing (public-key mode), when a sealing key is configured. */
  private readonly sealer: SealSigner | undefined;
  private readonly kid: string;
  private readonly previous: StreamHead | undefined;
  private readonly sealEveryRecords: number;
  private readonly diagnostics: AuditDiagnostics;
  private readonly onSeal: ((reason: string) => void) | undefined;
  private readonly serializer: RecordSerializer;
  private logger: Logger | undefined;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private prev = '';
  private lastSealSeq = 0;
  private lastSealReason = '';
  private sealPending = false;
  /** A journal batch was written while a record was being delivered: seal at the next safe point. */
  private flushSealPending = false;
  private closed = false;
  private readonly beforeShutdownSeal: (() => void)[] = [];

  /** @throws AuditKeyError when signing is on and no valid active key is configured. */
  constructor(options: SigningProcessorOptions = {}) {
    this.diagnostics = options.diagnostics ?? defaultDiagnostics;
    this.serializer = new RecordSerializer(this.diagnostics);
    const sealState = options.integrity === false ? undefined : sealStateOf(options);
    if (options.integrity === false) {
      this.keyring = undefined;
      this.kid = '';
    } else if (sealState) {
      this.keyring = options.keyring ?? loadOptionalKeyring(options);
      this.sealer = new SealSigner(sealState.state, {
        epochMs: sealSetting('sealEpochMs', options.sealEpochMs, DEFAULT_SEAL_EPOCH_MS),
        epochSeals: sealSetting('sealEpochSeals', options.sealEpochSeals, 0),
        ...(sealState.file !== undefined ? { file: sealState.file } : {}),
        onPersistError: (err) =>
          this.diagnostics.count(
            SIGNING_FAILURE.sealKey,
            `the sealing key file could not be replaced with the new epoch's key; it still holds an earlier key: ${errorText(err)}`,
          ),
      });
      this.kid = this.sealer.kid;
    } else {
      this.keyring = options.keyring ?? loadKeyring(options);
      const kid = this.keyring.activeKid;
      if (kid === undefined) throw new AuditKeyError('the keyring given to SigningProcessor has no active signing key');
      this.kid = kid;
    }
    this.streamId =
      options.streamId !== undefined && options.streamId !== '' ? options.streamId : randomBytes(8).toString('hex');
    this.previous = options.previous;
    this.sealEveryRecords = sealSetting('sealEveryRecords', options.sealEveryRecords, DEFAULT_SEAL_EVERY_RECORDS);
    this.onSeal = options.onSeal;
    this.logger = options.logger;
    const interval = sealSetting('sealIntervalMs', options.sealIntervalMs, DEFAULT_SEAL_INTERVAL_MS);
    if (interval > 0) {
      this.timer = setInterval(() => {
        // an epoch that is due ends even when no record came (the key on disk evolves while idle too)
        if (this.seq > this.lastSealSeq || (this.seq > 0 && this.sealer?.epochDue())) this.seal(PERIODIC_SEAL_REASON);
      }, interval);
      this.timer.unref();
    }
  }

  /** Whether records are signed (false in `integrity: false` mode). */
  get signing(): boolean {
    return this.keyring !== undefined || this.sealer !== undefined;
  }

  /** The current sealing-key epoch, or `undefined` without a sealing key. */
  get sealEpoch(): number | undefined {
    return this.sealer?.epoch;
  }

  /** Sets the logger seals are emitted with; it must feed the provider this processor belongs to. */
  bindLogger(logger: Logger): this {
    this.logger = logger;
    return this;
  }

  /**
   * Binds seals to `provider` and makes its `shutdown()` write the shutdown seal first, while the
   * provider still accepts records (an SDK provider refuses records once its shutdown began, so
   * a seal emitted from this processor's own `shutdown()` cannot reach the sinks).
   */
  bindProvider(provider: LoggerProvider): this {
    this.logger = provider.getLogger(SCOPE_NAME);
    const original = provider.shutdown.bind(provider);
    provider.shutdown = (): Promise<void> => {
      this.sealForShutdown();
      return original();
    };
    return this;
  }

  /** The last record signed in this stream, or `undefined` before the first. */
  head(): StreamHead | undefined {
    return this.seq === 0 ? undefined : { stream: this.streamId, seq: this.seq, sig: this.prev };
  }

  /** Signs `log` in place. Never throws: failures are counted and the record goes on unsigned. */
  onEmit(log: ReadWriteLogRecord): void {
    const isSeal = log.eventName === SEAL_EVENT_NAME;
    if (this.sealPending && !isSeal) {
      // A count seal is due: write it before this record (a nested emit reaches every sink
      // before this record does, and takes the next seq), so it lands inside long bursts too.
      this.sealPending = false;
      if (this.seq - this.lastSealSeq >= this.sealEveryRecords) this.seal(PERIODIC_SEAL_REASON);
    }
    if (this.flushSealPending && !isSeal) {
      this.flushSealPending = false;
      if (this.seq > this.lastSealSeq) this.seal(FLUSH_SEAL_REASON);
    }
    const sealer = this.sealer;
    try {
      const seq = this.seq + 1;
      const prev = this.prev;
      if (isSeal) {
        // The seal's commitments are fixed here, at its chain position, whoever emitted it.
        log.setAttribute(SIGNING_ATTR.sealCount, seq - 1);
        log.setAttribute(SIGNING_ATTR.sealHead, prev);
        if (typeof log.attributes[SIGNING_ATTR.sealReason] !== 'string')
          log.setAttribute(SIGNING_ATTR.sealReason, MANUAL_SEAL_REASON);
      }
      if (seq === 1 && this.previous) {
        log.setAttribute(SIGNING_ATTR.previousStream, {
          stream: this.previous.stream,
          seq: this.previous.seq,
          sig: this.previous.sig,
        });
      }
      // public-key mode: seals and stream starts carry an Ed25519 signature, other records their hash
      const sealSigned = sealer !== undefined && (isSeal || seq === 1);
      if (sealSigned) sealer.stamp(log, seq === 1, isSeal && sealer.epochDue());
      const fixedBefore = this.serializer.notes.fixed;
      const canonical = this.serializer.serialize(log, { stream: this.streamId, seq, prev, kid: this.kid });
      const sig = sealer
        ? sealSigned
          ? sealer.sign(canonical)
          : recordHash(canonical)
        : this.keyring === undefined
          ? ''
          : this.keyring.sign(canonical);
      if (sealSigned) sealer.signed(isSeal);
      this.seq = seq;
      this.prev = sig;
      log.setBody(canonical);
      log.setAttribute(ATTR.sig, sig);
      log.setAttribute(ATTR.stream, this.streamId);
      log.setAttribute(ATTR.seq, seq);
      log.setAttribute(ATTR.kid, this.kid);
      if (log.attributes[ATTR.sig] !== sig) {
        // The SDK drops attributes beyond logRecordLimits.attributeCountLimit (default 128).
        this.diagnostics.count(
          SIGNING_FAILURE.sign,
          `record ${this.streamId}#${seq}: audit attributes dropped by the attribute count limit; raise logRecordLimits.attributeCountLimit`,
        );
      }
      if (this.serializer.notes.fixed !== fixedBefore) {
        this.diagnostics.count(
          SIGNING_FAILURE.value,
          `record ${this.streamId}#${seq} carried values JSON cannot hold; converted`,
        );
      }
      if (isSeal) {
        this.lastSealSeq = seq;
        const reason = log.attributes[SIGNING_ATTR.sealReason];
        this.lastSealReason = typeof reason === 'string' ? reason : 'manual';
        this.notifySeal(this.lastSealReason);
      } else if (
        this.sealEveryRecords > 0 &&
        seq - this.lastSealSeq >= this.sealEveryRecords &&
        !this.sealPending &&
        !this.closed
      ) {
        // Emitting from inside this onEmit would deliver the seal to the sinks before this record:
        // the seal is written at the start of the next record, or on the next microtask if none comes.
        this.sealPending = true;
        queueMicrotask(() => {
          if (!this.sealPending) return;
          this.sealPending = false;
          if (this.seq - this.lastSealSeq >= this.sealEveryRecords) this.seal(PERIODIC_SEAL_REASON);
        });
      }
    } catch (err) {
      this.diagnostics.count(SIGNING_FAILURE.sign, `record left unsigned: ${errorText(err)}`);
    }
  }

  /**
   * Writes a seal record through the bound logger; it is signed in this stream like any record and
   * commits to the count and head of the records before it. Returns whether the seal reached this
   * processor (when it did not, the failure is counted). Never throws.
   */
  seal(reason: string): boolean {
    const before = this.seq;
    try {
      const logger = this.logger ?? logs.getLogger(SCOPE_NAME);
      logger.emit({
        eventName: SEAL_EVENT_NAME,
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: `audit seal (${reason}) of stream ${this.streamId} after ${before} record(s)`,
        attributes: {
          [SIGNING_ATTR.sealReason]: reason,
          [SIGNING_ATTR.sealCount]: before,
          [SIGNING_ATTR.sealHead]: this.prev,
        },
      });
    } catch (err) {
      this.diagnostics.count(SIGNING_FAILURE.seal, `seal "${reason}" failed: ${errorText(err)}`);
      return false;
    }
    if (this.seq === before) {
      this.diagnostics.count(
        SIGNING_FAILURE.seal,
        `seal "${reason}" did not reach the signing processor of stream ${this.streamId}: bind the logger of its own provider ` +
          '(bindProvider(provider) / bindLogger(logger)) and write the shutdown seal before the provider shuts down',
      );
      return false;
    }
    return true;
  }

  /**
   * Called by a journal right before it writes a batch of lines: in public-key mode, seals the
   * records signed since the last seal, so every written batch is sealed. `safe`: no record is
   * being delivered to the sinks now (a timer or an explicit flush), so the seal is written at
   * once and joins this batch; otherwise it follows at the next safe point (the start of the next
   * record, or the next microtask) and joins the next batch. Never throws.
   */
  sealForBatch(safe: boolean): void {
    if (!this.sealer || this.closed || this.seq === this.lastSealSeq) return;
    if (safe) {
      this.seal(FLUSH_SEAL_REASON);
      return;
    }
    if (this.flushSealPending) return;
    this.flushSealPending = true;
    queueMicrotask(() => {
      if (!this.flushSealPending) return;
      this.flushSealPending = false;
      if (this.seq > this.lastSealSeq && !this.closed) this.seal(FLUSH_SEAL_REASON);
    });
  }

  /**
   * Writes a loss record through the bound logger: signed and chained in this stream like any
   * record, it declares that `loss.count` records of `loss.stream` in `loss.from`..`loss.to` could
   * not be written (verifiers report that gap as accounted loss). Returns whether it was signed
   * into this stream. Never throws.
   */
  recordLoss(loss: RecordLoss): boolean {
    if (this.closed) return false;
    const before = this.seq;
    try {
      const logger = this.logger ?? logs.getLogger(SCOPE_NAME);
      logger.emit({
        eventName: LOSS_EVENT_NAME,
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: `audit loss: ${loss.count} record(s) of stream ${loss.stream} (seq ${loss.from}-${loss.to}) could not be written (${loss.reason})`,
        attributes: {
          [LOSS_ATTR.stream]: loss.stream,
          [LOSS_ATTR.from]: loss.from,
          [LOSS_ATTR.to]: loss.to,
          [LOSS_ATTR.count]: loss.count,
          [LOSS_ATTR.reason]: loss.reason,
        },
      });
    } catch (err) {
      this.diagnostics.count(SIGNING_FAILURE.seal, `loss record failed: ${errorText(err)}`);
      return false;
    }
    return this.seq > before;
  }

  /** Runs `hook` right before the shutdown seal is signed (a journal declares pending loss there). Hooks must not throw. */
  onBeforeShutdownSeal(hook: () => void): this {
    this.beforeShutdownSeal.push(hook);
    return this;
  }

  /** Nothing is buffered here. */
  async forceFlush(): Promise<void> {}

  /**
   * Writes the shutdown seal (synchronously, so processors after this one still receive it) unless
   * the stream is already sealed for shutdown, then stops the seal timer.
   */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.sealForShutdown();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Writes the shutdown seal now, unless the stream is closed or already ends with one: first the
   * hooks of {@link onBeforeShutdownSeal}, then the `"shutdown"` seal. Call it right before the
   * provider shuts down (an SDK provider refuses records once its shutdown began);
   * {@link bindProvider} and the AuditLogger's provider do. Never throws.
   */
  sealForShutdown(): void {
    if (this.closed) return;
    for (const hook of this.beforeShutdownSeal) {
      try {
        hook();
      } catch (err) {
        this.diagnostics.count(SIGNING_FAILURE.seal, `hook before the shutdown seal threw: ${errorText(err)}`);
      }
    }
    if (this.seq > 0 && !(this.lastSealReason === SHUTDOWN_SEAL_REASON && this.lastSealSeq === this.seq))
      this.seal(SHUTDOWN_SEAL_REASON);
  }

  private notifySeal(reason: string): void {
    if (!this.onSeal) return;
    try {
      this.onSeal(reason);
    } catch {
      this.diagnostics.count(SIGNING_FAILURE.seal, 'onSeal callback threw');
    }
  }
}
