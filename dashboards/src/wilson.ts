/**
 * Wilson score interval, lower bound: the leaderboard's ranking.
 *
 * With `n` votes of which `k` are likes, p = k / n, and z the normal quantile (1.96 for 95 %):
 *
 *   lower = (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
 *
 * It answers "how good is this talk at least, given how few votes we have": 3 likes out of 3 gives
 * 0.44, 95 out of 100 gives 0.89, so the well-attended talk ranks first.
 * Source: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical inference",
 * JASA 22(158); E. Miller, "How Not To Sort By Average Rating" (2009).
 */

/** z for a two-sided 95 % interval. */
export const WILSON_Z_95 = 1.96;

/** The Wilson lower bound of `likes` out of `votes` (0 when there is no vote). */
export function wilsonLowerBound(likes: number, votes: number, z: number = WILSON_Z_95): number {
  if (votes <= 0) return 0;
  const p = likes / votes;
  const z2 = z * z;
  const centre = p + z2 / (2 * votes);
  const margin = z * Math.sqrt((p * (1 - p)) / votes + z2 / (4 * votes * votes));
  return (centre - margin) / (1 + z2 / votes);
}

/** A number as InfluxQL source: 10 significant digits, always with a decimal point (float maths). */
function literal(value: number): string {
  const rounded = Number(value.toPrecision(10));
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

/**
 * The same bound as one InfluxQL expression over aggregates (InfluxDB 1.6+ accepts `SQRT()` of an
 * expression of aggregates; measured on influxd 1.6.7). `votes` and `ratio` are InfluxQL expressions:
 * the vote count and the like ratio as a float (integer ÷ integer truncates inside a subquery).
 */
export function wilsonInfluxQL(votes: string, ratio: string, z: number = WILSON_Z_95): string {
  const z2 = z * z;
  const centre = `${ratio} + ${literal(z2 / 2)} / ${votes}`;
  const variance = `${ratio} * (1.0 - ${ratio}) / ${votes} + ${literal(z2 / 4)} / (${votes} * ${votes})`;
  return `(${centre} - ${literal(z)} * SQRT(${variance})) / (1.0 + ${literal(z2)} / ${votes})`;
}
