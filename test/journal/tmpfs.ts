/**
 * A small tmpfs for disk-full tests (needs root). Mounting must work where these tests run: a
 * refused mount fails the test loudly instead of skipping it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';

/** Mounts a tmpfs of `sizeKiB` at `dir` (created) and returns its unmount. Throws when mounting is refused. */
export function mountTmpfs(dir: string, sizeKiB: number): () => void {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(
      `disk-full test needs a ${sizeKiB} KiB tmpfs (run as root): mount refused: ${stderr || String(err)}`,
      { cause: err },
    );
  }
  return () => {
    execFileSync('umount', [dir], { stdio: 'pipe' });
    rmdirSync(dir);
  };
}
