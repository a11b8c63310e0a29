export { type Decoded, decodePayload, encodePayload, MAX_PAYLOAD_BYTES } from './codec.ts';
export { assertNever, ProtocolError, TopicError } from './errors.ts';
export * from './schemas.ts';
export {
  isSlug,
  SLUG_MAX_LENGTH,
  SLUG_PATTERN,
  type SlugAssignment,
  type SlugCollision,
  slugify,
  slugifyAll,
} from './slug.ts';
export {
  buildTopic,
  DEVICE_TOPIC_KINDS,
  type DeviceTopicKind,
  filters,
  type LevelFilter,
  type ParsedTopic,
  type PayloadOf,
  parseTopic,
  ROOM_TOPIC_KINDS,
  type RoomTopicKind,
  TOPIC_PREFIX,
  TopicDelivery,
  type TopicKind,
  TopicPayloads,
  topics,
} from './topics.ts';
export {
  DEFAULT_WINDOW_RULE,
  type RoomNow,
  ScheduleIndex,
  type TalkWindow,
  talkDelay,
  toTalkRef,
  voteWindow,
  windowRule,
} from './voteWindow.ts';
