import type { Duplex } from 'node:stream';

/**
 * Gathers what the broker writes to one client during one turn of the event loop into a single
 * system call. Aedes writes every packet on its own (mqtt-packet uncorks on the next tick), so a
 * subscriber receiving 50,000 votes/s costs 50,000 `writev` calls, and every publisher as many
 * PUBACKs; corked until the loop's check phase, the packets of a turn leave together. Latency
 * grows by the rest of the current turn only (microseconds when the loop is idle).
 */
export function batchWrites(stream: Duplex): void {
  let corked = false;
  const flush = () => {
    corked = false;
    stream.uncork();
  };
  const write = stream.write as (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
  // Fixed parameters, not `...args`: mqtt-packet writes a packet in several pieces, and an arguments
  // array per piece was garbage enough to lengthen the broker's scavenges.
  stream.write = function batchedWrite(chunk: unknown, encoding?: unknown, callback?: unknown) {
    if (!corked && !stream.destroyed) {
      corked = true;
      stream.cork();
      setImmediate(flush);
    }
    return write.call(stream, chunk, encoding, callback);
  } as Duplex['write'];
}
