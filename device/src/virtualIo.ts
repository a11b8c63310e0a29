import { EventEmitter } from 'node:events';
import { Hd44780 } from './hd44780.js';

/** Pin modes in the numbering every Johnny-Five IO plugin uses (Firmata's). */
const MODES = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4, I2C: 6 } as const;

/** A pin as Johnny-Five expects to find it in `io.pins`. */
interface IoPin {
  supportedModes: number[];
  mode: number;
  value: number;
  report: number;
  analogChannel: number;
}

/** Options of the {@link VirtualIo}. */
export interface VirtualIoOptions {
  /** Number of digital pins (numbered from 0). */
  pinCount?: number;
  /** The LCD behind a PCF8574 backpack, decoded back into text. */
  lcd?: { address: number; cols: number; rows: number } | null;
}

/** Events a {@link VirtualIo} emits besides Johnny-Five's `connect`/`ready`. */
export interface VirtualIoEvents {
  connect: [];
  ready: [];
  /** The program wrote an output pin (LED, buzzer). */
  'digital-write': [pin: number, value: number];
  /** The LCD decoded at least one more byte. */
  lcd: [];
}

/**
 * A Johnny-Five IO plugin with no hardware behind it: it holds the state of every pin, lets the
 * outside world drive input pins (`setInput`), and decodes the I2C bytes sent to a PCF8574 LCD
 * backpack into text (`lcdLines`). Board, Button, Led and LCD run their real code against it.
 * Ready at construction: `io.pins` exists before the Board is built, as Johnny-Five requires.
 */
export class VirtualIo extends EventEmitter<VirtualIoEvents> {
  readonly name = 'LikeBoxVirtual';
  readonly isReady = true;
  readonly MODES = MODES;
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly pins: IoPin[];
  readonly analogPins: number[] = [];
  readonly defaultLed = 13;
  readonly RESOLUTION = { ADC: 1023, DAC: null, PWM: 255 };
  /** The LCD as decoded from the I2C bytes, or null without an LCD. */
  readonly lcd: Hd44780 | null;
  readonly #lcdAddress: number | null;
  readonly #readers = new Map<number, Array<(value: number) => void>>();
  /** Inputs with the pull-up enabled read HIGH until driven low. */
  readonly #pullup = new Set<number>();
  readonly #driven = new Map<number, number>();

  constructor(options: VirtualIoOptions = {}) {
    super();
    const count = options.pinCount ?? 20;
    const modes = [MODES.INPUT, MODES.OUTPUT, MODES.PWM, MODES.SERVO, MODES.I2C];
    this.pins = Array.from({ length: count }, () => ({
      supportedModes: [...modes],
      mode: MODES.INPUT,
      value: 0,
      report: 0,
      analogChannel: 127,
    }));
    const lcd = options.lcd ?? null;
    this.lcd = lcd === null ? null : new Hd44780(lcd.cols, lcd.rows);
    this.#lcdAddress = lcd?.address ?? null;
  }

  /** Sets a pin's mode (IO plugin API). */
  pinMode(pin: number, mode: number): this {
    this.#pin(pin).mode = mode;
    return this;
  }

  /** Drives an output pin, or switches an input's pull-up (IO plugin API). */
  digitalWrite(pin: number, value: number): this {
    const state = this.#pin(pin);
    if (state.mode === MODES.INPUT) {
      // Writing HIGH to an input enables its pull-up (Arduino semantics, used by Button isPullup).
      if (value) this.#pullup.add(pin);
      else this.#pullup.delete(pin);
      this.#setValue(pin, this.#inputLevel(pin));
      return this;
    }
    state.value = value ? 1 : 0;
    this.emit('digital-write', pin, state.value);
    return this;
  }

  /** PWM write (Led uses it on PWM-capable pins): any duty above 0 counts as on. */
  analogWrite(pin: number, value: number): this {
    const state = this.#pin(pin);
    state.value = value > 0 ? 1 : 0;
    this.emit('digital-write', pin, state.value);
    return this;
  }

  /** Alias of {@link analogWrite}, as other IO plugins name it. */
  pwmWrite(pin: number, value: number): this {
    return this.analogWrite(pin, value);
  }

  /** Reports a pin's level now and on every change (IO plugin API). */
  digitalRead(pin: number, handler: (value: number) => void): this {
    const list = this.#readers.get(pin) ?? [];
    list.push(handler);
    this.#readers.set(pin, list);
    const value = this.#pin(pin).value;
    setImmediate(() => handler(value));
    return this;
  }

  /** Drives an input pin from outside (a finger on a button): notifies readers at once. */
  setInput(pin: number, value: 0 | 1): void {
    this.#driven.set(pin, value);
    this.#setValue(pin, value);
  }

  /** The level of a pin. */
  read(pin: number): number {
    return this.#pin(pin).value;
  }

  /** Enables I2C (IO plugin API; nothing to do here). */
  i2cConfig(): this {
    return this;
  }

  /** Writes bytes to an I2C device: those for the LCD's address are decoded (IO plugin API). */
  i2cWrite(address: number, first: number | number[], second?: number | number[]): this {
    if (address !== this.#lcdAddress || this.lcd === null) return this;
    const bytes = [first, second ?? []].flat();
    for (const byte of bytes) this.lcd.writePort(byte);
    if (this.listenerCount('lcd') > 0) this.emit('lcd');
    return this;
  }

  /** Register write: no such device here (IO plugin API). */
  i2cWriteReg(): this {
    return this;
  }

  /** Continuous read: no such device here (IO plugin API). */
  i2cRead(): this {
    return this;
  }

  /** One read: no such device here (IO plugin API). */
  i2cReadOnce(): this {
    return this;
  }

  /** The LCD's visible text, one string per row (empty without an LCD). */
  lcdLines(): string[] {
    return this.lcd?.lines() ?? [];
  }

  #inputLevel(pin: number): number {
    return this.#driven.get(pin) ?? (this.#pullup.has(pin) ? 1 : 0);
  }

  #setValue(pin: number, value: number): void {
    const state = this.#pin(pin);
    if (state.value === value) return;
    state.value = value;
    for (const handler of this.#readers.get(pin) ?? []) handler(value);
  }

  #pin(pin: number): IoPin {
    const state = this.pins[pin];
    if (state === undefined) throw new RangeError(`virtual IO has no pin ${pin}`);
    return state;
  }
}
