/** The ingest benchmark's printed lines: a figure per line, with its target's verdict. */

/** One line: label, value and, when there is a target, PASS or MISS against it. */
export function line(label: string, value: string, target?: [boolean, string]): void {
  const verdict = target === undefined ? '' : `  ${target[0] ? 'PASS' : 'MISS'} (${target[1]})`;
  process.stdout.write(`${label.padEnd(44)} ${value.padStart(14)}${verdict}\n`);
}

const µs = (values: number[]) => `${values.map((us) => us.toFixed(1)).join('/')} µs`;
const perSecond = (rates: number[]) => rates.map((rate) => `${Math.round(rate)}`).join(' / ');

/** The reference: its median, then every run. */
export function printReference(
  reference: { rate: number; rates: number[]; cpu: number[] },
  cpuLabel: string,
): void {
  line(`plain QoS 1 delivery, same broker (median)`, `${Math.round(reference.rate)}/s`);
  line(`  runs`, perSecond(reference.rates));
  line(`  CPU per vote: ${cpuLabel}`, µs(reference.cpu));
}

/** The flood's figures and verdicts, against `reference` (plain QoS 1 delivery, votes/s). */
export function printFlood(
  reference: number,
  ingest: { rate: number; rates: number[]; stored: number; cpu: number[] },
  latency: { p50: number; p99: number },
  cpuLabel: string,
  settings: { total: number; latencyRate: number; warmupSeconds: number },
): void {
  line('MQTT → ingest → InfluxDB, sustained (median)', `${Math.round(ingest.rate)}/s`, [
    ingest.rate >= 30_000,
    '≥ 30,000/s',
  ]);
  line('  runs', perSecond(ingest.rates));
  line('  ratio to plain QoS 1 delivery', (ingest.rate / reference).toFixed(2), [
    ingest.rate / reference >= 0.8,
    '≥ 0.8',
  ]);
  line('  points in InfluxDB', `${ingest.stored}`, [
    ingest.stored === settings.total,
    `= ${settings.total}`,
  ]);
  line(`  CPU per vote: ${cpuLabel}`, µs(ingest.cpu));
  line(
    `press → stored p50 at ${settings.latencyRate}/s (${settings.warmupSeconds} s warm-up)`,
    `${latency.p50.toFixed(1)} ms`,
  );
  line(
    `press → stored p99 at ${settings.latencyRate}/s (${settings.warmupSeconds} s warm-up)`,
    `${latency.p99.toFixed(1)} ms`,
    [latency.p99 < 50, '< 50 ms'],
  );
}
