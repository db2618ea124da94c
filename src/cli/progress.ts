/**
 * The progress bar of long scans. Drawn on stderr, and only when both stdout and stderr are
 * terminals: piped or redirected output, CI logs and tests never see bar frames.
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

/** Receives scan progress in bytes; `stop()` clears the bar. */
export interface ProgressReporter {
  update(bytesRead: number, totalBytes: number): void;
  stop(): void;
}

const NONE: ProgressReporter = { update: () => {}, stop: () => {} };

/** Scans smaller than this never show a bar (it would only flicker). */
const MIN_BYTES_FOR_BAR = 1024 * 1024;

/** A progress reporter for a scan labelled `label`: a real bar on terminals, a no-op otherwise. */
export function progressFor(io: CliIo, label: string): ProgressReporter {
  if (!io.stdout.isTTY || !io.stderr.isTTY) return NONE;
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(bytesRead, totalBytes) {
      if (!bar) {
        if (totalBytes < MIN_BYTES_FOR_BAR) return;
        bar = new cliProgress.SingleBar(
          {
            stream: io.stderr as unknown as NodeJS.WritableStream,
            format: `${label} [{bar}] {percentage}% | {value}/{total} MiB | ETA {eta}s`,
            clearOnComplete: true,
            hideCursor: true,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(toMiB(totalBytes), 0);
      }
      bar.setTotal(toMiB(totalBytes));
      bar.update(toMiB(bytesRead));
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function toMiB(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}
