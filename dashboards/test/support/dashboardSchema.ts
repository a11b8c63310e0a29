import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

/**
 * JSON schema of a Grafana dashboard, generated at test time from the `Dashboard` TypeScript type
 * that `@grafana/schema` (Grafana's official package, generated from its CUE kinds) ships: nothing is
 * written by hand, so the check follows Grafana upgrades.
 *
 * One documented divergence: `@grafana/schema`'s TypeScript types `AnnotationQuery.target` as the
 * built-in Grafana annotation target (`limit`, `matchAny`, `tags`, `type`), while Grafana stores a
 * datasource's own query there (the foundation SDK types it as a `Dataquery`, and Grafana's InfluxDB
 * datasource migrates its legacy annotations into `target.query`). The schema therefore accepts, for
 * that one property, either the built-in target or a datasource query object.
 */
export function dashboardSchema(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@grafana/schema/package.json'));
  const schema = createGenerator({
    path: join(root, 'dist/types/raw/dashboard/x/types.gen.d.ts'),
    type: 'Dashboard',
    skipTypeCheck: true,
    additionalProperties: false,
  }).createSchema('Dashboard') as {
    definitions: Record<string, { properties: Record<string, unknown> }>;
  };
  const annotation = schema.definitions.AnnotationQuery;
  if (annotation === undefined) throw new Error('no AnnotationQuery in the generated schema');
  annotation.properties.target = {
    anyOf: [
      { $ref: '#/definitions/AnnotationTarget' },
      { type: 'object', required: ['refId'], properties: { refId: { type: 'string' } } },
    ],
  };
  return schema;
}
