import { defineCommand, defineGroup, SharedEnv } from '@likebox/runtime';
import { IngestError } from './errors.js';

function parseCount(text: string | undefined): number {
  const count = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || count > 1_000_000) {
    throw new IngestError(
      `N must be a whole number of people, 0 to 1,000,000, got ${JSON.stringify(text ?? '')}`,
    );
  }
  return count;
}

/** `likebox results headcount TALK N`. */
export const headcountCommand = defineCommand({
  name: 'results headcount',
  summary: "enter a talk's headcount (published as an organiser over MQTT)",
  description:
    "Publishes that N people attended TALK (its id in the schedule), retained, on the talk's " +
    'headcount topic, as a user with the organiser role. The ingest stores it in its journal; ' +
    'the results show it with the participation (votes / N), never in the score. Refuses a talk ' +
    "the event's schedule (read from the broker) does not know.",
  env: SharedEnv.pick({
    LIKEBOX_EVENT: true,
    LIKEBOX_MQTT_URL: true,
    LIKEBOX_MQTT_USERNAME: true,
    LIKEBOX_MQTT_PASSWORD: true,
  }),
  aliases: { username: 'mqtt-username', password: 'mqtt-password' },
  args: [
    { name: 'TALK', description: 'the talk id, as in the schedule' },
    { name: 'N', description: 'people counted, 0 to 1,000,000' },
  ],
  run: async (ctx) => {
    const [talk = '', countText] = ctx.args;
    const count = parseCount(countText);
    const { env } = ctx;
    // Loaded here: defining the command must not load MQTT.js.
    const { publishHeadcount } = await import('./publishHeadcount.js');
    const target = {
      ...{ url: env.LIKEBOX_MQTT_URL, event: env.LIKEBOX_EVENT },
      ...{ username: env.LIKEBOX_MQTT_USERNAME, password: env.LIKEBOX_MQTT_PASSWORD },
    };
    const stopped = ctx.untilSignal().then(() => {
      throw new IngestError('stopped before the broker acknowledged the headcount');
    });
    const found = await Promise.race([
      publishHeadcount(target, talk, count, ctx.io.now()),
      stopped,
    ]);
    ctx.io.stderr.write(`talk ${found.id} (${found.title}): headcount ${count} published\n`);
    return 0;
  },
});

/** `likebox results …`: the results of the event (issue 16). */
export const resultsCommand = defineGroup({
  name: 'results',
  summary: "the event's results: enter headcounts (the figures are on /api/v1/)",
  subcommands: [headcountCommand],
});
