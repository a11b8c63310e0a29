/** The table of bench/nodered.ts: both columns, their ratio, and the verdicts on the targets. */
import { percentile } from './ingestLoad.js';
import type { FaultResult } from './noderedScript.js';

/** One run of one consumer alone. */
export interface Measured {
  rate: number;
  cpu: number;
  stored: number;
  p50: number;
  p99: number;
  rss: number;
  /** CPU per vote, µs, of the processes sharing the cores: broker, influxd, boxes + proxies. */
  others: number[];
}

const median = (values: number[]) => percentile(values, 50);

function row(out: (text: string) => void, cells: string[], verdict = ''): void {
  const [label = '', ...rest] = cells;
  out(`${label.padEnd(40)} ${rest.map((c) => c.padStart(22)).join(' ')}${verdict}\n`);
}

function verdict(pass: boolean, target: string): string {
  return `  ${pass ? 'PASS' : 'MISS'} (${target})`;
}

/**
 * The CPU per vote of every process of a flood (the consumer, the broker, influxd, this process's
 * boxes and proxies): what bounds the sustained rate on two shared cores.
 */
function printShares(
  out: (text: string) => void,
  runs: { likebox: Measured[]; nodered: Measured[] },
) {
  const parts = ['broker', 'influxd', 'boxes + proxy'];
  const of = (r: Measured[], i: number) => median(r.map((x) => x.others[i] ?? 0));
  parts.forEach((name, i) => {
    const [a, b] = [of(runs.likebox, i), of(runs.nodered, i)];
    row(out, [`  CPU per vote µs, ${name}`, a.toFixed(1), b.toFixed(1), (a / b).toFixed(2)]);
  });
  const total = (r: Measured[]) =>
    median(r.map((x) => x.cpu + x.others.reduce((s, v) => s + v, 0)));
  const [a, b] = [total(runs.likebox), total(runs.nodered)];
  row(out, ['  CPU per vote µs, all of them', a.toFixed(1), b.toFixed(1), (a / b).toFixed(2)]);
}

/** Prints the figures (medians over the runs, every run listed) and the fault counts. */
export function printTable(
  out: (text: string) => void,
  runs: { likebox: Measured[]; nodered: Measured[] },
  faults: FaultResult[],
): void {
  const m = (key: Exclude<keyof Measured, 'others'>) =>
    [runs.likebox, runs.nodered].map((r) => median(r.map((x) => x[key])));
  out('\n');
  row(out, ['figure (median of the runs)', 'LikeBox', 'Node-RED', 'ratio']);
  const [lbRate = 0, nrRate = 0] = m('rate');
  const ratio = lbRate / nrRate;
  row(
    out,
    ['sustained votes/s', `${Math.round(lbRate)}`, `${Math.round(nrRate)}`, ratio.toFixed(2)],
    verdict(ratio >= 3, '≥ 3×'),
  );
  const list = (r: Measured[]) => r.map((x) => Math.round(x.rate)).join(' / ');
  row(out, ['  runs', list(runs.likebox), list(runs.nodered)]);
  for (const [label, key, digits] of [
    ['press → stored p50 ms at 500/s', 'p50', 1],
    ['press → stored p99 ms at 500/s', 'p99', 1],
    ['CPU per vote µs (the consumer)', 'cpu', 1],
    ['peak RSS MB', 'rss', 0],
  ] as const) {
    const [a = 0, b = 0] = m(key);
    row(out, [label, a.toFixed(digits), b.toFixed(digits), (a / b).toFixed(2)]);
  }
  printShares(out, runs);
  out('\n');
  row(out, ['fault: sent / stored / lost / doubled', 'LikeBox', 'Node-RED']);
  for (const fault of faults) {
    const cells = fault.counts.map((c) => `${c.sent}/${c.stored}/${c.lost}/${c.doubled}`);
    const lb = fault.counts[0];
    const clean = lb !== undefined && lb.lost === 0 && lb.doubled === 0;
    row(out, [fault.name, ...cells], verdict(clean, 'LikeBox 0 lost, 0 doubled'));
  }
}
