import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/*
 * Faults for tests (`@likebox/runtime/testing`): a disk that fills up and a link that turns into a
 * black hole. Shared by the device, ingest and fault-suite tests.
 */

/** A small filesystem of its own that a test fills up and gives back. */
export interface TmpfsDisk {
  /** Where it is mounted (a fresh folder, removed when the test finishes). */
  dir: string;
  /** Takes every free byte (again): a write that needs new space then fails with ENOSPC. */
  fill(): void;
  /** Gives the space back. */
  free(): void;
}

/** Whether a real tmpfs can be mounted: root, unless `LIKEBOX_TEST_FULL_DISK=page-cap`. */
export function canMountTmpfs(): boolean {
  return process.getuid?.() === 0 && process.env.LIKEBOX_TEST_FULL_DISK !== 'page-cap';
}

/** A fresh folder under the system temp folder, removed when the test finishes. */
export function diskDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A tmpfs of `sizeBytes` mounted on `dir` (`mount -t tmpfs -o size=…,mode=0700`) for the test,
 * unmounted and removed when it finishes; `fill` writes a file 4 KiB at a time until ENOSPC. Needs
 * root (CAP_SYS_ADMIN): see {@link canMountTmpfs}.
 */
export function mountTmpfs(dir: string, sizeBytes: number): TmpfsDisk {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]);
  onTestFinished(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(filler, { force: true }),
  };
}

/** A TCP relay started by {@link startTcpProxy}. */
export interface TcpProxy {
  /** `mqtt://127.0.0.1:{port}` of the relay. */
  url: string;
  /** Its port. */
  port: number;
  /** Connections currently relayed. */
  readonly connections: number;
  /** Starts (true) or ends (false) the black hole. */
  setBlackHole(on: boolean): void;
  /** Cuts every relayed connection at once (both sides see the socket close). */
  cut(): void;
  /** Refuses (true) or accepts again (false) new connections: the far side is offline. */
  setOffline(on: boolean): void;
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * A TCP relay between a client and a server (a box and a broker) that a test can turn into a
 * black hole: bytes stop flowing both ways while every socket stays open (no RST, no FIN), as when
 * a Wi-Fi access point dies or a NAT forgets the connection. New connections are accepted and
 * swallowed too. `port` 0 (default) takes a free port. Closed when the test finishes.
 */
export async function startTcpProxy(
  target: { host: string; port: number },
  port = 0,
): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let blackHole = false;
  let offline = false;
  const cut = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
  };
  const server = createServer({ noDelay: true }, (inbound) => {
    if (offline) return void inbound.destroy();
    const outbound = connect({ ...target, noDelay: true });
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    inbound.on('data', (data) => blackHole || outbound.write(data));
    outbound.on('data', (data) => blackHole || inbound.write(data));
    for (const [a, b] of [pair, [outbound, inbound] as const]) {
      a.on('error', () => b.destroy());
      a.on('close', () => {
        b.destroy();
        pairs.delete(pair);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  const close = async () => {
    cut();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  };
  onTestFinished(close);
  return {
    url: `mqtt://127.0.0.1:${bound}`,
    port: bound,
    get connections() {
      return pairs.size;
    },
    setBlackHole: (on) => {
      blackHole = on;
    },
    cut,
    setOffline: (on) => {
      offline = on;
      if (on) cut();
    },
    close,
  };
}
