// Preloaded into a box process (`--import`): its wall clock runs FAULT_CLOCK_SKEW_MS off, as a box
// whose clock was never set or drifted. Only Date moves; timers and performance.now() do not.
const skew = Number(process.env.FAULT_CLOCK_SKEW_MS ?? 0);
const RealDate = Date;

class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + skew);
    else super(...args);
  }

  static now() {
    return RealDate.now() + skew;
  }
}

globalThis.Date = SkewedDate;
