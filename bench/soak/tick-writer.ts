/**
 * A writer child process that reports on stdout: `STREAM <stream id>` once, then
 * `<last seq> <Date.now()>` after every tick of its event loop (see {@link TickReport}); other
 * lines are ignored. Used by the soak and by the crash tests that bound a kill from the writer's
 * own reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TickReport } from './kill-bound.js';

/** A running writer and what it reported so far. */
export interface TickWriter {
  readonly child: ChildProcess;
  /** Its stream id, once reported. */
  stream: string;
  readonly reports: TickReport[];
  /** Resolves once the process exited and all it wrote was read. */
  readonly exited: Promise<void>;
}

/** Starts `node <script> ...args` and collects its reports. */
export function spawnTickWriter(script: string, args: readonly string[]): TickWriter {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const w: TickWriter = {
    child,
    stream: '',
    reports: [],
    exited: new Promise((resolve) => child.once('close', () => resolve())),
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('STREAM ')) w.stream = line.slice(7);
    else if (/^\d+ \d+$/.test(line)) w.reports.push(line.split(' ').map(Number) as [number, number]);
  });
  return w;
}
