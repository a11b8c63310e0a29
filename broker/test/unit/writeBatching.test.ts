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
    const sentDuringTheTurn = sender.bytesWritten;
    const chunks = await arrived;

    // Assess
    // Unbatched, each write goes to the kernel at once (one system call each).
    expect(sentDuringTheTurn).toBe(0);
    expect(sender.bytesWritten).toBe(expected.length);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it('keeps a write with a callback, strings and end() in order with the gathered pieces', async () => {
    // Prepare
    const { sender, receiver } = await socketPair();
    const arrived = collect(receiver, 'abcdéf'.length + 1);
    const ended = once(receiver, 'end');
    let called = false;

    // Act
    sender.write(Buffer.from('ab'));
    sender.write('cd', 'utf8');
    sender.write(Buffer.from('é'), () => {
      called = true;
    });
    sender.write('f');
    sender.end();
    await ended;

    // Assess
    expect(Buffer.concat(await arrived).toString()).toBe('abcdéf');
    expect(called).toBe(true);
  });

  it('answers with the backpressure of the socket, which drains as usual', async () => {
    // Prepare
    const { sender, receiver } = await socketPair();
    receiver.pause();
    const big = Buffer.alloc(8 * 1024 * 1024, 1);

    // Act
    const firstAnswer = sender.write(big);
    await new Promise((resolve) => setImmediate(resolve));
    const laterAnswer = sender.write(Buffer.from('x'));
    const drained = once(sender, 'drain');
    receiver.resume();
    receiver.on('data', () => undefined);
    await drained;

    // Assess
    // Nothing is in the socket until the turn ends; then 8 MiB are, far above its high-water mark.
    expect(firstAnswer).toBe(true);
    expect(laterAnswer).toBe(false);
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
