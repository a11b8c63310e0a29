import { z } from 'zod';

/**
 * Grafana's alerting file provisioning format (apiVersion 1), as zod schemas written from Grafana's
 * own types for it (`pkg/services/provisioning/alerting`: `AlertingFileV1`, `AlertRuleGroupV1`,
 * `AlertRuleV1`, `QueryV1`, `ContactPointV1`, `ReceiverV1`, `NotificiationPolicyV1` with the
 * Alertmanager `Route`) and the checks Grafana makes when it maps them (`MapToModel`): a group needs
 * a name, a folder and an interval Prometheus can parse; a rule a uid, a title, data and a
 * condition; `noDataState` / `execErrState` one of Grafana's states; a receiver a uid, a type and
 * settings (an e-mail one its `addresses`). Stricter than Grafana on purpose: Grafana's YAML reader
 * skips unknown keys, so a misspelt key would be silently lost; here it fails. Cross-references
 * (condition → refId, expression → earlier refId, policy → contact point) are checked as Grafana's
 * rule and policy validation does when it stores them.
 */

/** Prometheus `model.ParseDuration`: units y w d h m s ms, largest first, at least one. */
const DURATION = /^(?!$)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
const duration = z.string().regex(DURATION, 'a Prometheus duration such as 1m or 1h30m');
const orgId = z.number().int().min(1);
const stringMap = z.record(z.string(), z.string());

/** Grafana's server-side expressions (`__expr__`) and the parts LikeBox uses of them. */
const EXPRESSION_TYPES = ['math', 'reduce', 'resample', 'classic_conditions', 'threshold', 'sql'];
const REDUCERS = ['sum', 'mean', 'min', 'max', 'count', 'last', 'median'];
const EVALUATORS = ['gt', 'lt', 'eq', 'ne', 'gte', 'lte', 'within_range', 'outside_range'];

const query = z.strictObject({
  refId: z.string().min(1),
  queryType: z.string().optional(),
  relativeTimeRange: z
    .strictObject({ from: z.number().int().min(0), to: z.number().int().min(0) })
    .optional(),
  datasourceUid: z.string().min(1),
  model: z.record(z.string(), z.unknown()),
});

const expressionModel = z.looseObject({
  refId: z.string(),
  datasource: z.strictObject({ type: z.literal('__expr__'), uid: z.literal('__expr__') }),
  type: z.enum(EXPRESSION_TYPES),
  expression: z.string().min(1),
  reducer: z.enum(REDUCERS).optional(),
  settings: z.strictObject({ mode: z.enum(['', 'dropNN', 'replaceNN']) }).optional(),
  conditions: z
    .array(
      z.strictObject({
        evaluator: z.strictObject({ type: z.enum(EVALUATORS), params: z.array(z.number()) }),
      }),
    )
    .optional(),
});

const rule = z
  .strictObject({
    uid: z
      .string()
      .max(40)
      .regex(/^[a-zA-Z0-9_-]+$/),
    title: z.string().min(1).max(190),
    condition: z.string().min(1),
    data: z.array(query).min(1),
    dashboardUid: z.string().optional(),
    panelId: z.number().int().optional(),
    noDataState: z.enum(['Alerting', 'NoData', 'OK', 'KeepLast']),
    execErrState: z.enum(['Alerting', 'Error', 'OK', 'KeepLast']),
    for: duration,
    keepFiringFor: duration.optional(),
    annotations: stringMap.optional(),
    labels: stringMap.optional(),
    isPaused: z.boolean().optional(),
  })
  .superRefine(checkRuleData);

/** Each step of a rule: unique refIds; expressions refer to an earlier step; the condition exists. */
function checkRuleData(
  { data, condition }: { data: z.infer<typeof query>[]; condition: string },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  for (const step of data) {
    if (step.model.refId !== undefined && step.model.refId !== step.refId) {
      ctx.addIssue({ code: 'custom', message: `${step.refId}: model.refId differs` });
    }
    if (step.datasourceUid === '__expr__') {
      const model = expressionModel.safeParse(step.model);
      if (!model.success)
        ctx.addIssue({ code: 'custom', message: `${step.refId}: ${model.error.message}` });
      else if (!seen.has(model.data.expression)) {
        ctx.addIssue({
          code: 'custom',
          message: `${step.refId} reads ${model.data.expression}, not an earlier step`,
        });
      }
    } else if (
      step.relativeTimeRange === undefined ||
      step.relativeTimeRange.from <= step.relativeTimeRange.to
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `${step.refId}: a query needs a relativeTimeRange with from > to`,
      });
    }
    if (seen.has(step.refId)) ctx.addIssue({ code: 'custom', message: `${step.refId} twice` });
    seen.add(step.refId);
  }
  if (!seen.has(condition))
    ctx.addIssue({ code: 'custom', message: `condition ${condition} is no step` });
}

const group = z.strictObject({
  orgId,
  name: z.string().trim().min(1),
  folder: z.string().trim().min(1),
  interval: duration,
  rules: z.array(rule).min(1),
});

const receiver = z
  .strictObject({
    uid: z.string().trim().min(1).max(40),
    type: z.string().trim().min(1),
    settings: z
      .record(z.string(), z.unknown())
      .refine((s) => Object.keys(s).length > 0, 'no settings'),
    disableResolveMessage: z.boolean().optional(),
  })
  .refine(
    (r) =>
      r.type !== 'email' ||
      (typeof r.settings.addresses === 'string' && r.settings.addresses.trim() !== ''),
    'an email receiver needs settings.addresses',
  );

const contactPoint = z.strictObject({
  orgId,
  name: z.string().trim().min(1),
  receivers: z.array(receiver).min(1),
});

type Route = {
  receiver?: string;
  routes?: Route[];
};

const route: z.ZodType<Route> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().min(1).optional(),
    group_by: z.array(z.string().min(1)).optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    object_matchers: z
      .array(z.tuple([z.string(), z.enum(['=', '!=', '=~', '!~']), z.string()]))
      .optional(),
    mute_time_intervals: z.array(z.string()).optional(),
    continue: z.boolean().optional(),
    routes: z.array(route).optional(),
  }),
);

/** One alerting provisioning file. */
export const AlertingFile = z
  .strictObject({
    apiVersion: z.literal(1),
    groups: z.array(group).optional(),
    contactPoints: z.array(contactPoint).optional(),
    policies: z.array(z.looseObject({ orgId })).optional(),
  })
  .superRefine((file, ctx) => {
    for (const one of file.policies ?? []) {
      const { orgId: _org, ...tree } = one;
      const parsed = route.safeParse(tree);
      if (!parsed.success)
        ctx.addIssue({ code: 'custom', message: `policy: ${parsed.error.message}` });
      else if (parsed.data.receiver === undefined)
        ctx.addIssue({ code: 'custom', message: 'the root policy needs a receiver' });
    }
  });

/** The receivers every policy (and sub-policy) of `files` sends to. */
export function policyReceivers(files: readonly z.infer<typeof AlertingFile>[]): string[] {
  const names: string[] = [];
  const walk = (node: Route) => {
    if (node.receiver !== undefined) names.push(node.receiver);
    for (const child of node.routes ?? []) walk(child);
  };
  for (const file of files) for (const one of file.policies ?? []) walk(one as Route);
  return names;
}
