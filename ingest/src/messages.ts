import { decodePayload, topicParser } from '@likebox/protocol';
import type { IngestContext } from './ingestContext.js';
import { reasonOf } from './invalidMessages.js';
import type { InboundVote } from './votePipeline.js';

/** Topics taken apart once each: a few per box, so a flood parses each topic once. */
const parseTopicCached = topicParser();

/**
 * Routes one message from the broker link to its handler: a vote to the pipeline (its
 * acknowledgement held until the journal commit when the link can hold it), a status, a config, a
 * delay or another ingest's lease applied at once. Anything else is a dead letter. Never throws on
 * bad input.
 */
export function dispatch(
  ctx: IngestContext,
  topic: string,
  payload: Uint8Array,
  retained: boolean,
  messageId: number | undefined,
): void {
  const arrival = Date.now();
  const parsed = parseTopicCached(topic);
  if (parsed === null || parsed.event !== ctx.event) {
    const letter = { received: arrival, topic, reason: 'unexpected topic', payload };
    ctx.invalid.reject('topic', 'unknown', letter, 'topic');
    return;
  }
  switch (parsed.kind) {
    case 'vote':
      if (messageId !== undefined) ctx.link.hold(messageId);
      ctx.pipeline.push(inboundVote(ctx, parsed.device, topic, payload, arrival, messageId));
      return;
    case 'status':
      onStatus(ctx, parsed.device, topic, payload, arrival, retained);
      return;
    case 'config':
      onConfig(ctx, parsed.device, topic, payload, arrival);
      return;
    case 'delay':
      onDelay(ctx, parsed.room, topic, payload, arrival);
      return;
    case 'lease':
      ctx.lease.observe(payload);
      return;
    case 'headcount':
      ctx.onHeadcount(parsed.talk, payload);
      return;
    default: {
      const letter = { received: arrival, topic, reason: 'not an ingest topic', payload };
      ctx.invalid.reject(parsed.kind, 'unknown', letter, 'topic');
    }
  }
}

/** Validates a vote on arrival; an invalid one becomes a dead letter committed with the batch. */
function inboundVote(
  ctx: IngestContext,
  device: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
  messageId: number | undefined,
): InboundVote {
  const decoded = decodePayload('vote', payload);
  const generation = ctx.link.generation;
  if (decoded.success) {
    return { device, vote: decoded.data, dead: undefined, arrival, messageId, generation };
  }
  const letter = { received: arrival, topic, reason: decoded.error, payload };
  const dead = { letter, reason: reasonOf(decoded.error) };
  return { device, vote: undefined, dead, arrival, messageId, generation };
}

function onStatus(
  ctx: IngestContext,
  device: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
  retained: boolean,
): void {
  if (payload.byteLength === 0) return; // a cleared retained status
  const decoded = decodePayload('status', payload);
  if (!decoded.success) {
    const letter = { received: arrival, topic, reason: decoded.error, payload };
    ctx.invalid.reject('status', device, letter, reasonOf(decoded.error));
    return;
  }
  const status = decoded.data;
  // A retained status may be hours old: only a live heartbeat tells the box's clock offset.
  if (!retained && status.at !== undefined) ctx.clock.heartbeat(device, status.at, arrival);
  ctx.deviceStatus(device, status, arrival);
}

function onConfig(
  ctx: IngestContext,
  device: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
): void {
  if (payload.byteLength === 0) {
    ctx.configRooms.delete(device);
    return;
  }
  const decoded = decodePayload('config', payload);
  if (!decoded.success) {
    const letter = { received: arrival, topic, reason: decoded.error, payload };
    ctx.invalid.reject('config', device, letter, reasonOf(decoded.error));
    return;
  }
  ctx.configRooms.set(device, decoded.data.room);
}

function onDelay(
  ctx: IngestContext,
  room: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
): void {
  const decoded = decodePayload('delay', payload);
  if (!decoded.success) {
    const letter = { received: arrival, topic, reason: decoded.error, payload };
    ctx.invalid.reject('delay', room, letter, reasonOf(decoded.error));
    return;
  }
  ctx.schedule.applyDelay(room, decoded.data.minutes, decoded.data.at ?? arrival);
}
