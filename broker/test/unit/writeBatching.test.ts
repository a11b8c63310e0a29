import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { batchWrites } from '../../src/writeBatching.js';

/** A connected pair of real loopback sockets: `sender` is batched, `receiver` counts reads. */
async function socketPair(): Promise<{ sender: Socket; receiver: Socket }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const receiver = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [sender] = await accepted;
  onTestFinished(() => {
    sender.destroy();
    receiver.destroy();
    server.close();
  });
  sender.setNoDelay(true);
  batchWrites(sender);
  return { sender, receiver };
}

function collect(receiver: Socket, bytes: number): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  let received = 0;
  return new Promise((resolve) => {
    receiver.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= bytes) resolve(chunks);
    });
  });
}

describe('batchWrites', () => {
  it('sends the writes of one event-loop turn together, in order', async () => {
    // Prepare
    const { sender, receiver } = await socketPair();
    const packets = Array.from({ length: 200 }, (_, i) => Buffer.from(`packet ${i};`));
    const expected = Buffer.concat(packets);
    const arrived = collect(receiver, expected.length);

    // Act
    for (const packet of packets) sender.write(packet);
    const heldDuringTheTurn = sender.writableLength;
    const chunks = await arrived;

    // Assess
    // Unbatched, each write goes to the kernel at once (one system call each): nothing is held.
    expect(heldDuringTheTurn).toBe(expected.length);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it('flushes every later turn too, so nothing waits for the next write', async () => {
    // Prepare
    const { sender, receiver } = await socketPair();

    // Act, Assess
    for (const text of ['first', 'second', 'third']) {
      const arrived = collect(receiver, text.length);
      sender.write(text);
      expect(Buffer.concat(await arrived).toString()).toBe(text);
      receiver.removeAllListeners('data');
    }
  });
});
