import type { Status } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { BrokerLink } from './brokerLink.js';
import type { ClockSanity } from './clock.js';
import type { InvalidMessages } from './invalidMessages.js';
import type { IngestLease } from './lease.js';
import type { IngestMetrics } from './metrics.js';
import type { ScheduleState } from './scheduleState.js';
import type { VotePipeline } from './votePipeline.js';

/** What the MQTT message handlers need from the running ingest. */
export interface IngestContext {
  /** The link the messages come through (holds their acknowledgements). */
  link: BrokerLink;
  /** Event slug. */
  event: string;
  /** Logger (`module: subscriber`). */
  log: Logger;
  /** Metrics. */
  metrics: IngestMetrics;
  /** Invalid-message accounting. */
  invalid: InvalidMessages;
  /** The vote pipeline (journal first). */
  pipeline: VotePipeline;
  /** Box clock offsets. */
  clock: ClockSanity;
  /** Room of each box's retained config. */
  configRooms: Map<string, string>;
  /** The live schedule. */
  schedule: ScheduleState;
  /** The event's lease (another ingest's lease messages). */
  lease: IngestLease;
  /** Stores an organiser's headcount of a talk. */
  onHeadcount: (talk: string, payload: Uint8Array) => void;
  /** Records a box's status (InfluxDB measurement `device`). */
  deviceStatus: (device: string, status: Status, arrival: number) => void;
}
