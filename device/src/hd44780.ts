/**
 * Decodes the bytes an HD44780 LCD receives through a PCF8574 I2C backpack back into text, as the
 * display itself would show it. Used by the virtual IO plugin (tests, simulator, `GET /lcd`).
 *
 * PCF8574 wiring (the common backpack, Johnny-Five's `PCF8574` controller): P0 = RS, P1 = RW,
 * P2 = EN, P3 = backlight, P4..P7 = D4..D7. The controller latches D4..D7 on the falling edge of EN.
 * After power-on the HD44780 is in 8-bit mode: each strobe is a whole instruction (lower nibble
 * unconnected) until a function set with DL=0 switches it to 4-bit mode, where two strobes make a
 * byte, high nibble first (HD44780U datasheet, figure 24).
 */

const RS = 0x01;
const EN = 0x04;
const BACKLIGHT = 0x08;
/** DDRAM start address of each row (rows 2 and 3 of a 20x4 continue rows 0 and 1). */
const ROW_OFFSETS = [0x00, 0x40, 0x14, 0x54] as const;
const DDRAM_SIZE = 0x80;

/** A character LCD reconstructed from its input pins. */
export class Hd44780 {
  readonly #ddram = new Uint8Array(DDRAM_SIZE).fill(0x20);
  #address = 0;
  #increment = true;
  #fourBit = false;
  #highNibble: number | null = null;
  #lastPort = 0;
  #displayOn = false;
  #backlight = false;
  /** Number of bytes (commands and characters) decoded so far. */
  bytes = 0;

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {}

  /** Whether the display is switched on (display-control D bit). */
  get displayOn(): boolean {
    return this.#displayOn;
  }

  /** Whether the backlight pin of the backpack is high. */
  get backlight(): boolean {
    return this.#backlight;
  }

  /** Feeds one byte written to the PCF8574's port. */
  writePort(value: number): void {
    const falling = (this.#lastPort & EN) !== 0 && (value & EN) === 0;
    this.#lastPort = value;
    this.#backlight = (value & BACKLIGHT) !== 0;
    if (!falling) return;
    const nibble = (value >> 4) & 0x0f;
    const isData = (value & RS) !== 0;
    if (!this.#fourBit) {
      this.#byte(isData, nibble << 4);
      return;
    }
    if (this.#highNibble === null) {
      this.#highNibble = nibble;
      return;
    }
    const byte = (this.#highNibble << 4) | nibble;
    this.#highNibble = null;
    this.#byte(isData, byte);
  }

  /** The visible text, one string per row, `cols` characters each. */
  lines(): string[] {
    const out: string[] = [];
    for (let row = 0; row < this.rows; row++) {
      const start = ROW_OFFSETS[row] ?? 0;
      out.push(String.fromCharCode(...this.#ddram.subarray(start, start + this.cols)));
    }
    return out;
  }

  #byte(isData: boolean, byte: number): void {
    this.bytes++;
    if (isData) {
      this.#ddram[this.#address] = byte;
      this.#move(this.#increment ? 1 : -1);
      return;
    }
    this.#command(byte);
  }

  #move(step: number): void {
    this.#address = (this.#address + step + DDRAM_SIZE) % DDRAM_SIZE;
  }

  #command(byte: number): void {
    if (byte & 0x80) {
      this.#address = byte & 0x7f; // set DDRAM address
    } else if (byte & 0x40) {
      // set CGRAM address: custom characters are not rendered
    } else if (byte & 0x20) {
      this.#fourBit = (byte & 0x10) === 0; // function set, DL bit
      this.#highNibble = null;
    } else if (byte & 0x10) {
      // cursor or display shift: not used by LikeBox screens
    } else if (byte & 0x08) {
      this.#displayOn = (byte & 0x04) !== 0;
    } else if (byte & 0x04) {
      this.#increment = (byte & 0x02) !== 0;
    } else if (byte & 0x02) {
      this.#address = 0; // return home
    } else if (byte & 0x01) {
      this.#ddram.fill(0x20); // clear display
      this.#address = 0;
      this.#increment = true;
    }
  }
}
