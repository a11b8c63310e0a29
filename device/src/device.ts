import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Box } from './box.js';
import { fixedClockSync, systemClockSync } from './clock.js';
import type { Config } from './config.js';
import { ControlServer, VirtualButtons } from './control.js';
import { createIo } from './io.js';
import { startKeyboard } from './keyboard.js';
import { Outbox } from './outbox.js';
import { VirtualIo } from './virtualIo.js';

/** The box software version, from device/package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** The first non-internal IPv4 address, or an empty string. */
export function localIp(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const net of list ?? []) if (net.family === 'IPv4' && !net.internal) return net.address;
  }
  return '';
}

/** A running box and how to stop it. */
export interface RunningDevice {
  box: Box;
  /** The virtual box's controls, or null on real hardware. */
  buttons: VirtualButtons | null;
  io: unknown;
  /** Port of the HTTP control, or null when off. */
  controlPort: number | null;
  stop(): Promise<void>;
}

/** Where a box keeps its outbox and cache. */
export function outboxPath(config: Config): string {
  return join(config.LIKEBOX_DATA_DIR, `box-${config.LIKEBOX_DEVICE_ID}.sqlite`);
}

/** The virtual box's HTTP control and keyboard mode, when configured. */
async function startVirtual(
  io: VirtualIo,
  box: Box,
  config: Config,
  log: Logger,
  onQuit: () => void,
) {
  const { like, dislike, led } = config.pins;
  if (typeof like !== 'number' || typeof dislike !== 'number' || typeof led !== 'number') {
    throw new TypeError('the virtual IO numbers its pins');
  }
  const decisionMs = config.LIKEBOX_PRESS_MS + 7 + 250;
  const buttons = new VirtualButtons(io, box, { like, dislike }, config.LIKEBOX_PULLUP, decisionMs);
  let control: ControlServer | null = null;
  let controlPort: number | null = null;
  if (config.LIKEBOX_CONTROL_PORT !== undefined) {
    control = new ControlServer(buttons, box, io, led, log.child({ module: 'control' }));
    controlPort = await control.listen(config.LIKEBOX_CONTROL_PORT, config.LIKEBOX_BIND);
  }
  const stopKeyboard = config.LIKEBOX_KEYBOARD
    ? startKeyboard(buttons, () => io.lcdLines(), onQuit)
    : null;
  return {
    buttons,
    controlPort,
    async stop() {
      stopKeyboard?.();
      await control?.close();
    },
  };
}

/** Wires and starts a box: IO, outbox, box, and on a virtual box its HTTP control and keyboard. */
export async function startDevice(
  config: Config,
  log: Logger,
  onQuit: () => void = () => undefined,
): Promise<RunningDevice> {
  const io = await createIo(config);
  const outbox = Outbox.open(outboxPath(config));
  const clock =
    config.LIKEBOX_CLOCK_SYNCED === 'auto'
      ? systemClockSync()
      : fixedClockSync(config.LIKEBOX_CLOCK_SYNCED === 'true');
  const box = new Box({ config, log, io, outbox, clock, version: VERSION, ip: localIp() });
  await box.start();
  const virtual = io instanceof VirtualIo ? await startVirtual(io, box, config, log, onQuit) : null;
  const buttons = virtual?.buttons ?? null;
  const controlPort = virtual?.controlPort ?? null;
  return {
    box,
    buttons,
    io,
    controlPort,
    async stop() {
      const steps: Array<() => unknown> = [
        () => virtual?.stop(),
        () => box.stop(),
        () => outbox.close(),
      ];
      for (const step of steps) {
        try {
          await step();
        } catch (err) {
          log.warn({ err }, 'stop step failed');
        }
      }
    },
  };
}
