export * from './apiSchemas.js';
export { type Decoded, decodePayload, encodePayload, MAX_PAYLOAD_BYTES } from './codec.js';
export { assertNever, ProtocolError, TopicError } from './errors.js';
export * from './resultSchemas.js';
export * from './scheduleSchemas.js';
export * from './schemas.js';
export { shiftSchedule } from './shiftSchedule.js';
export {
  isSlug,
  SLUG_MAX_LENGTH,
  SLUG_PATTERN,
  type SlugAssignment,
  type SlugCollision,
  slugify,
  slugifyAll,
} from './slug.js';
export {
  buildTopic,
  DEVICE_TOPIC_KINDS,
  type DeviceTopicKind,
  filters,
  INGEST_TOPIC_KINDS,
  type IngestTopicKind,
  type LevelFilter,
  type ParsedTopic,
  type PayloadOf,
  parseTalkLevel,
  parseTopic,
  ROOM_TOPIC_KINDS,
  type RoomTopicKind,
  TALK_TOPIC_KINDS,
  type TalkTopicKind,
  TOPIC_PREFIX,
  TopicDelivery,
  type TopicKind,
  TopicPayloads,
  talkLevel,
  topicParser,
  topics,
} from './topics.js';
export {
  DEFAULT_WINDOW_RULE,
  type RoomNow,
  ScheduleIndex,
  type TalkWindow,
  talkDelay,
  toTalkRef,
  voteWindow,
  windowRule,
} from './voteWindow.js';
export {
  canonicalZone,
  instantToWall,
  localClock,
  localDate,
  toZonedIso,
  type WallTime,
  wallToInstant,
  zoneOffset,
} from './zonedTime.js';
