import { EventEmitter } from 'node:events';
import { Hd44780 } from '../../src/hd44780.js';

const PIN_COUNT = 20;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const MODE = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, I2C: 6, PULLUP: 0x0b } as const;

/**
 * An Arduino Uno running StandardFirmata, seen from its serial port: a transport (as firmata-io
 * expects from serialport) that answers the host's real Firmata bytes with real Firmata bytes.
 * It reports the version and firmware, answers the capability and analog-mapping queries, keeps
 * pin modes and levels, reports digital ports, and decodes I2C writes to a PCF8574 LCD.
 */
export class FakeArduino extends EventEmitter {
  readonly lcd: Hd44780;
  readonly modes: number[] = Array.from({ length: PIN_COUNT }, () => MODE.OUTPUT);
  readonly levels: number[] = Array.from({ length: PIN_COUNT }, () => 0);
  readonly #driven = new Map<number, number>();
  readonly #reporting = new Set<number>();
  #buffer: number[] = [];
  /** Bytes received from the host. */
  received = 0;

  constructor(readonly lcdAddress = 0x27) {
    super();
    this.lcd = new Hd44780(16, 2);
    setImmediate(() => {
      this.emit('open');
      // StandardFirmata announces itself on boot: REPORT_VERSION, then the firmware name.
      this.#send([0xf9, 2, 5]);
      const name = [...'StandardFirmata.ino'].flatMap((c) => [
        c.charCodeAt(0) & 0x7f,
        c.charCodeAt(0) >> 7,
      ]);
      this.#send([START_SYSEX, 0x79, 2, 5, ...name, END_SYSEX]);
    });
  }

  /** serialport's write: the host's bytes. */
  write(data: Buffer | number[], callback?: (err?: Error | null) => void): boolean {
    for (const byte of data) this.#receive(byte);
    callback?.(null);
    return true;
  }

  /** A finger on a button wired to `pin`: 0 pulls it to ground. */
  drive(pin: number, level: 0 | 1): void {
    this.#driven.set(pin, level);
    this.#update(pin);
  }

  #level(pin: number): number {
    const mode = this.modes[pin];
    if (mode === MODE.INPUT || mode === MODE.PULLUP)
      return this.#driven.get(pin) ?? (mode === MODE.PULLUP ? 1 : 0);
    return this.levels[pin] ?? 0;
  }

  #update(pin: number): void {
    const level = this.#level(pin);
    if (this.levels[pin] === level) return;
    this.levels[pin] = level;
    const port = pin >> 3;
    if (this.#reporting.has(port)) this.#reportPort(port);
  }

  #reportPort(port: number): void {
    let value = 0;
    for (let bit = 0; bit < 8; bit++) if (this.levels[port * 8 + bit]) value |= 1 << bit;
    this.#send([0x90 | port, value & 0x7f, (value >> 7) & 0x7f]);
  }

  #send(bytes: number[]): void {
    setImmediate(() => this.emit('data', Buffer.from(bytes)));
  }

  #receive(byte: number): void {
    const buffer = this.#buffer;
    if (byte & 0x80 && byte !== END_SYSEX && buffer[0] !== START_SYSEX) buffer.length = 0;
    buffer.push(byte);
    this.received++;
    const first = buffer[0] ?? 0;
    if (first === START_SYSEX) {
      if (byte === END_SYSEX) this.#sysex(buffer.splice(0).slice(1, -1));
      return;
    }
    const command = first < 0xf0 ? first & 0xf0 : first;
    const size = command === 0xf9 ? 1 : command === 0xc0 || command === 0xd0 ? 2 : 3;
    if (buffer.length < size) return;
    const [, a = 0, b = 0] = buffer.splice(0);
    this.#message(command, first & 0x0f, a, b);
  }

  #message(command: number, channel: number, a: number, b: number): void {
    if (command === 0xf4) {
      this.modes[a] = b; // PIN_MODE
      this.#update(a);
    } else if (command === 0xf5) {
      this.#write(a, b); // SET_DIGITAL_PIN_VALUE
    } else if (command === 0x90) {
      const value = a | (b << 7); // DIGITAL_MESSAGE: a whole port
      for (let bit = 0; bit < 8; bit++) this.#write(channel * 8 + bit, (value >> bit) & 1);
    } else if (command === 0xd0) {
      if (a)
        this.#reporting.add(channel); // REPORT_DIGITAL
      else this.#reporting.delete(channel);
      if (a) this.#reportPort(channel);
    }
  }

  #write(pin: number, level: number): void {
    if (pin >= PIN_COUNT) return;
    const mode = this.modes[pin];
    // On an input, writing HIGH enables the pull-up (Arduino digitalWrite semantics).
    if (mode === MODE.INPUT || mode === MODE.PULLUP)
      this.modes[pin] = level ? MODE.PULLUP : MODE.INPUT;
    else this.levels[pin] = level;
    this.#update(pin);
  }

  #sysex(body: number[]): void {
    const [command, ...data] = body;
    if (command === 0x6b) this.#send([START_SYSEX, 0x6c, ...this.#capabilities(), END_SYSEX]);
    else if (command === 0x69) {
      const mapping = Array.from({ length: PIN_COUNT }, (_, pin) => (pin >= 14 ? pin - 14 : 127));
      this.#send([START_SYSEX, 0x6a, ...mapping, END_SYSEX]);
    } else if (command === 0x76) this.#i2c(data);
  }

  #capabilities(): number[] {
    const out: number[] = [];
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      out.push(MODE.INPUT, 1, MODE.OUTPUT, 1, MODE.PULLUP, 1);
      if ([3, 5, 6, 9, 10, 11].includes(pin)) out.push(MODE.PWM, 8);
      if (pin >= 14) out.push(MODE.ANALOG, 10);
      if (pin === 18 || pin === 19) out.push(MODE.I2C, 1);
      out.push(127);
    }
    return out;
  }

  /** I2C_REQUEST write: address, mode, then each byte as two 7-bit halves. */
  #i2c(data: number[]): void {
    const [address, mode = 0, ...pairs] = data;
    if (address !== this.lcdAddress || ((mode >> 3) & 0x03) !== 0) return;
    for (let i = 0; i + 1 < pairs.length; i += 2)
      this.lcd.writePort((pairs[i] ?? 0) | ((pairs[i + 1] ?? 0) << 7));
  }
}
