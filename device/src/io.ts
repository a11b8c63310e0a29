import { createRequire } from 'node:module';
import type { Config } from './config.js';
import { DeviceError } from './errors.js';
import { VirtualIo } from './virtualIo.js';

const require = createRequire(import.meta.url);

/** LCD geometry from the config, or null without an LCD. */
export function lcdGeometry(
  config: Config,
): { address: number; cols: number; rows: number } | null {
  if (config.LIKEBOX_LCD === 'none') return null;
  const [cols = 16, rows = 2] = config.LIKEBOX_LCD.split('x').map(Number);
  return { address: config.LIKEBOX_LCD_ADDRESS, cols, rows };
}

/** A raspi-io module as far as LikeBox uses it (its typings are not installed off ARM). */
interface RaspiModule {
  RaspiIO: new (options?: { enableSoftPwm?: boolean }) => unknown;
}

/** Minimal shape of the firmata-io binding function. */
type FirmataBinding = ((transport: unknown) => new (port: unknown, options?: object) => unknown) & {
  Firmata: new (port: unknown, options?: object) => unknown;
};

/**
 * Builds the Johnny-Five IO plugin chosen by `LIKEBOX_IO`:
 * - `virtual`: {@link VirtualIo}, no hardware;
 * - `raspi`: raspi-io (pigpio; Raspberry Pi 4 and older), an optional dependency that installs
 *   only on ARM, so it is loaded by dynamic import only when chosen;
 * - `firmata`: an Arduino running StandardFirmata over USB, through firmata-io and serialport 13.
 */
export async function createIo(config: Config): Promise<unknown> {
  switch (config.LIKEBOX_IO) {
    case 'virtual':
      return new VirtualIo({ lcd: lcdGeometry(config) });
    case 'raspi':
      return await raspiIo();
    case 'firmata':
      return await firmataIo(config.LIKEBOX_SERIAL_PORT);
  }
}

async function raspiIo(): Promise<unknown> {
  // A variable specifier keeps TypeScript from resolving a package absent on x64.
  const name = 'raspi-io';
  let mod: RaspiModule;
  try {
    mod = (await import(name)) as RaspiModule;
  } catch (err) {
    throw new DeviceError(
      'LIKEBOX_IO=raspi needs raspi-io, which installs only on ARM (Raspberry Pi 4 and older, as root); ' +
        'on a Pi 5 or a laptop use LIKEBOX_IO=firmata with an Arduino',
      { cause: err },
    );
  }
  return new mod.RaspiIO({ enableSoftPwm: false });
}

async function firmataIo(path: string): Promise<unknown> {
  const { SerialPort } = await import('serialport');
  // StandardFirmata talks at 57,600 baud.
  return firmataOn(new SerialPort({ path, baudRate: 57_600 }));
}

/** A Firmata IO plugin on an open transport (a serialport instance, or any stream with the same shape). */
export function firmataOn(transport: unknown): unknown {
  const bind = require('firmata-io') as FirmataBinding;
  return new bind.Firmata(transport);
}
