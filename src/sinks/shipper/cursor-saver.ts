/**
 * Saving the shipper's cursor in the background, off the shipping path: one write at a time, and
 * the newest cursor wins (a cursor waiting behind a slow fsync is replaced, not queued). A write
 * that fails is counted; the next acknowledged batch writes a newer cursor.
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { errorCodeText } from '../../events/error-text.js';
import { saveCursor, type ShipCursor } from './cursor.js';
import { SHIPPER_FAILURE } from './shipper-status.js';

/** Writes the cursor file `path`, newest cursor first. */
export class CursorSaver {
  private unsaved: ShipCursor | undefined;
  private writes: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly diagnostics: AuditDiagnostics,
  ) {}

  /** Writes `cursor` in the background (see the module comment). */
  save(cursor: ShipCursor): void {
    this.unsaved = cursor;
    this.writes ??= this.writeAll().finally(() => {
      this.writes = undefined;
    });
  }

  /** Resolves when the cursors given so far are written (or their writes failed). */
  async written(): Promise<void> {
    await this.writes;
  }

  private async writeAll(): Promise<void> {
    while (this.unsaved) {
      const cursor = this.unsaved;
      this.unsaved = undefined;
      try {
        await saveCursor(this.path, cursor);
      } catch (err) {
        this.diagnostics.count(
          SHIPPER_FAILURE.cursor,
          `cannot save ${this.path}: ${errorCodeText(err)} (records after the last saved cursor may be sent again)`,
        );
      }
    }
  }
}
