/**
 * Sealing-key epochs across streams: the link from a stream to the one it continues (see
 * {@link epochLinkProblem}), and the start of the trail: a stream that begins after epoch 0 and
 * continues no earlier stream has lost the history sealed before (a journal replaced by one
 * written with a stolen later key looks like that).
 */
import { SHUTDOWN_SEAL_REASON } from '../record/record-kinds.js';
import { epochLinkProblem } from './epoch-order.js';
import type { StreamChain } from './stream-chain.js';

/** Reports epoch problems of stream links and trail starts into the chains. */
export function checkEpochLinks(chains: ReadonlyMap<string, StreamChain>, allowMissingHead: boolean): void {
  for (const chain of chains.values()) {
    const first = chain.epochs.first();
    if (!first || first.seq !== 1) continue;
    const location = first.location;
    if (!chain.previous) {
      if (first.epoch > 0 && !allowMissingHead) {
        chain.report({
          class: 'missing-stream',
          location,
          seq: 1,
          detail: `the stream starts in sealing epoch ${first.epoch} but continues no earlier stream: the runs sealed in epochs 0-${first.epoch - 1} are absent (deleted, or the journal was replaced by one written with a later key)`,
        });
      }
      continue;
    }
    const before = chains.get(chain.previous.head.stream);
    const last = before?.epochs.last();
    // a stream sealed under a new root key (a new key pair) starts its own epochs
    if (!before || !last || last.kid !== first.kid) continue;
    const shutdown =
      before.lastSeal !== undefined &&
      before.lastSeal.reason === SHUTDOWN_SEAL_REASON &&
      before.lastSeal.seq === before.tail?.seq;
    const problem = epochLinkProblem({
      before: { epoch: last.epoch, ...(last.next ? { next: last.next } : {}), shutdown },
      after: { epoch: first.epoch, key: first.key },
    });
    if (problem) chain.report({ class: 'modified', location, seq: 1, detail: `the stream ${problem}` });
  }
}
