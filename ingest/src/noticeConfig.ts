import { z } from 'zod';

const count = (max: number) => z.coerce.number().int().min(1).max(max);
const seconds = (max: number) => z.coerce.number().min(0.1).max(max);
const ratio = z.coerce.number().min(0).max(1);

/**
 * The thresholds of the notices and of misuse flagging (ARCHITECTURE.md, "Notices"). Every default
 * is meant to stay quiet through a clean day: a room's exit burst, a box's heartbeat every 30 s.
 */
export const NoticesEnv = z.object({
  LIKEBOX_MISUSE_STEADY_VOTES: count(1000)
    .default(6)
    .describe(
      'Misuse "steady": this many votes of the same value from one box, each the same gap (±25%, ' +
        '20 s to 5 min) after the previous, are flagged.',
    ),
  LIKEBOX_MISUSE_RATE_PER_MIN: count(10_000)
    .default(40)
    .describe(
      'Misuse "rate": more votes than this per minute from one box, sustained, are flagged.',
    ),
  LIKEBOX_MISUSE_RATE_MINUTES: count(60)
    .default(5)
    .describe('Misuse "rate": over how many minutes the rate must be sustained.'),
  LIKEBOX_NOTICE_MISUSE_HOLD_S: seconds(86_400)
    .default(900)
    .describe('A misuse notice stays this many seconds after the last vote flagged on the box.'),
  LIKEBOX_NOTICE_SILENT_S: seconds(86_400)
    .default(120)
    .describe('A box heard of (status or vote), then silent or offline this many seconds.'),
  LIKEBOX_NOTICE_OUTBOX_S: seconds(86_400)
    .default(300)
    .describe('Outbox growing: a box whose outbox rose without falling for this many seconds.'),
  LIKEBOX_NOTICE_OUTBOX_RISE: count(1_000_000)
    .default(10)
    .describe('Outbox growing: by at least this many votes.'),
  LIKEBOX_NOTICE_SINKING_WILSON: ratio
    .default(0.3)
    .describe("Talk sinking: Wilson lower bound (95%) of the talk's like ratio under this."),
  LIKEBOX_NOTICE_SINKING_VOTES: count(1_000_000)
    .default(20)
    .describe('Talk sinking: only with at least this many counted votes.'),
  LIKEBOX_NOTICE_INFLUX_S: seconds(86_400)
    .default(60)
    .describe('InfluxDB unreachable: for this many seconds.'),
  LIKEBOX_NOTICE_DISK_FREE_MB: z.coerce
    .number()
    .min(0)
    .max(1_000_000)
    .default(200)
    .describe('Journal disk nearly full: less free space than this, MB (or a failed commit).'),
});

/** The notice thresholds, as the ingest takes them. */
export interface NoticeConfig {
  /** Same-value votes at a steady pace from one box that are flagged. */
  steadyVotes: number;
  /** Votes per minute from one box above which, sustained, they are flagged. */
  ratePerMinute: number;
  /** Minutes the rate must be sustained. */
  rateMinutes: number;
  /** How long a misuse notice stays after the last flag, ms. */
  misuseHoldMs: number;
  /** Box silent after, ms. */
  silentMs: number;
  /** Outbox rising for, ms. */
  outboxMs: number;
  /** Outbox rising by at least. */
  outboxRise: number;
  /** Wilson bound under which a talk sinks. */
  sinkingWilson: number;
  /** Counted votes a talk needs before it can sink. */
  sinkingVotes: number;
  /** InfluxDB unreachable for, ms. */
  influxMs: number;
  /** Free bytes under which the journal's disk is nearly full. */
  diskFreeBytes: number;
  /**
   * Length of a minute of the late-room watch, ms (roomLate.ts): 60,000; `likebox up --simulate`
   * gives its scenario minute (`LIKEBOX_SIM_MINUTE_MS`), in which its late room runs late.
   */
  lateMinuteMs: number;
}

/** The notice thresholds the validated variables describe. */
export function noticeConfigOf(e: z.infer<typeof NoticesEnv>): NoticeConfig {
  return {
    steadyVotes: e.LIKEBOX_MISUSE_STEADY_VOTES,
    ratePerMinute: e.LIKEBOX_MISUSE_RATE_PER_MIN,
    rateMinutes: e.LIKEBOX_MISUSE_RATE_MINUTES,
    misuseHoldMs: e.LIKEBOX_NOTICE_MISUSE_HOLD_S * 1000,
    silentMs: e.LIKEBOX_NOTICE_SILENT_S * 1000,
    outboxMs: e.LIKEBOX_NOTICE_OUTBOX_S * 1000,
    outboxRise: e.LIKEBOX_NOTICE_OUTBOX_RISE,
    sinkingWilson: e.LIKEBOX_NOTICE_SINKING_WILSON,
    sinkingVotes: e.LIKEBOX_NOTICE_SINKING_VOTES,
    influxMs: e.LIKEBOX_NOTICE_INFLUX_S * 1000,
    diskFreeBytes: e.LIKEBOX_NOTICE_DISK_FREE_MB * 1024 * 1024,
    lateMinuteMs: 60_000,
  };
}
