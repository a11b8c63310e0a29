/** z for a 95% two-sided interval. */
const Z = 1.96;

/**
 * The Wilson score interval's lower bound of a proportion (`positive` of `total`): the like ratio
 * a talk can claim with 95% confidence, low for a talk with few votes. The dashboards compute the
 * same bound in InfluxQL; here it is the plain formula.
 */
export function wilsonLower(positive: number, total: number): number {
  if (total === 0) return 0;
  const p = positive / total;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * total);
  const margin = Z * Math.sqrt((p * (1 - p) + z2 / (4 * total)) / total);
  return (centre - margin) / (1 + z2 / total);
}
