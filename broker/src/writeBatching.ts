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
  const write = stream.write;
  stream.write = function batchedWrite(this: Duplex, ...args: Parameters<Duplex['write']>) {
    if (!corked && !stream.destroyed) {
      corked = true;
      stream.cork();
      setImmediate(flush);
    }
    return write.apply(this, args);
  } as Duplex['write'];
}
