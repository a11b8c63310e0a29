import { pino } from 'pino';
import { flagsToEnv } from './args.js';
import { ConfigSchema, loadConfig } from './config.js';
import { startDevice } from './device.js';
import { ConfigError } from './errors.js';

const HELP = `likebox device: one LikeBox box (buttons, LED, buzzer, LCD through Johnny-Five; durable outbox; MQTT)

Usage: likebox device [--flag value ...]     every flag is also a LIKEBOX_* variable

  --device-id ID        box id = MQTT username = {device} topic level (required)
  --event SLUG          event slug (demo)                --data-dir DIR   outbox/cache directory (./data)
  --mqtt-url URL        broker (mqtt://127.0.0.1:1883)   --mqtt-username / --mqtt-password
  --room SLUG           room until the retained config assigns one
  --io virtual|raspi|firmata   hardware (virtual)      --serial-port PATH   Arduino port (/dev/ttyACM0)
  --pin-like --pin-dislike --pin-led --pin-buzzer PIN  (2 3 13 8; raspi: GPIO17 GPIO27 GPIO22 GPIO23; buzzer none)
  --pullup true|false   buttons to ground with pull-up (true)
  --lcd 16x2|20x4|none  LCD geometry (16x2)             --lcd-address 0x27   PCF8574 backpack address
  --locale fr|en        screen language until the config sets it (fr)
  --press-ms 20 --release-ms 50 --min-interval-ms 300 --boot-ms 2000   VoteGate timings
  --led-ms 200 --beep-ms 60 --thanks-ms 1500           feedback durations
  --heartbeat-s 30 --ack-timeout-s 30 --max-inflight 500   status period, re-publish timeout, QoS 1 window
  --clock-synced auto|true|false   trust the clock for vote times (auto: systemd-timesyncd/timedatectl)
  --control-port PORT   virtual box HTTP control (off; 0 = any free port)   --bind ADDR (127.0.0.1)
  --keyboard            virtual box keyboard mode: + like, - dislike, q quit
  --log-level LEVEL     pino level (info)

Virtual box control: POST /buttons/{like|dislike}/{press|release|click}, GET /lcd, GET /led, GET /status`;

/** `likebox device`: runs one box until SIGINT/SIGTERM. */
export async function deviceCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ ...process.env, ...flagsToEnv(argv, Object.keys(ConfigSchema.shape)) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`likebox device: invalid configuration\n${err.message}`);
    process.exitCode = 1;
    return;
  }
  // Keyboard mode draws the screen on stdout: the JSON logs go to stderr then.
  const log = pino(
    { name: 'device', level: config.LOG_LEVEL },
    pino.destination(config.LIKEBOX_KEYBOARD ? 2 : 1),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await running.stop();
    process.exit();
  };
  let running: Awaited<ReturnType<typeof startDevice>>;
  try {
    running = await startDevice(config, log, () => void stop('keyboard'));
  } catch (err) {
    log.fatal({ err }, 'box failed to start');
    process.exitCode = 1;
    return;
  }
  running.box.once('fault', (err) => {
    log.fatal({ err }, 'hardware failed');
    process.exitCode = 1;
    void stop('fault');
  });
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
