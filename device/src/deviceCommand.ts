import { defineCommand } from '@likebox/runtime';
import { ConfigSchema, configOf } from './config.js';

/**
 * `likebox device`: runs one box until SIGINT/SIGTERM (or `q` in keyboard mode); a hardware
 * fault stops it with exit code 1.
 */
export const deviceCommand = defineCommand({
  name: 'device',
  summary: 'a box: buttons, LCD and LED through Johnny-Five, durable outbox',
  description:
    'One LikeBox box: like and dislike buttons, LED, buzzer and LCD through Johnny-Five; every ' +
    'counted press goes to a durable outbox first, then to the broker over MQTT (QoS 1) until ' +
    'the ingest acknowledges it. The virtual IO needs no hardware.',
  env: ConfigSchema,
  // Keyboard mode draws the screen on stdout: the JSON logs go to stderr then.
  logTo: (env) => (env.LIKEBOX_KEYBOARD ? 'stderr' : 'stdout'),
  // Johnny-Five keeps its board's timers and IO handles after the box stopped.
  exitAfterStop: true,
  examples: [
    'likebox device --device-id box-1 --control-port 8181   a virtual box, driven over HTTP',
    'likebox device --device-id box-1 --keyboard            a virtual box in the terminal',
  ],
  run: async (ctx) => {
    const signalled = ctx.untilSignal();
    // Loaded here: defining the command (for `--help`) must not load Johnny-Five.
    const { startDevice } = await import('./device.js');
    let quit: () => void = () => undefined;
    const quitted = new Promise<void>((resolve) => {
      quit = resolve;
    });
    const running = await startDevice(configOf(ctx.env), ctx.log, () => quit());
    ctx.parts.push('box', () => running.stop());
    const fault = new Promise<Error>((resolve) => running.box.once('fault', resolve));
    const ended = await Promise.race([
      signalled.then(() => null),
      quitted.then(() => {
        ctx.log.info({ signal: 'keyboard' }, 'stopping');
        return null;
      }),
      fault,
    ]);
    if (ended === null) return 0;
    ctx.log.fatal({ err: ended }, 'hardware failed');
    return 1;
  },
});
