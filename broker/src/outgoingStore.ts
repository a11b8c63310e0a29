/**
 * The three fields of a queued packet the outgoing store looks entries up by. Anything else the
 * packet carries is kept as is. They are compared with `===`, as aedes-persistence does.
 */
export interface OutgoingPacket {
  /** Id of the broker that first received the message (aedes-packet). */
  brokerId?: unknown;
  /** Per-broker sequence number of the message (aedes-packet). */
  brokerCounter?: unknown;
  /** MQTT packet identifier, `undefined` until the packet is sent to the client. */
  messageId?: unknown;
}

/** `value === value`: false only for NaN, which `===` never matches while a `Map` key does. */
function selfEqual(value: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: the NaN test is the point (Map keys use SameValueZero)
  return value === value;
}

/** Inserts `key` into the ascending list `list` (usually at its end: keys grow). */
function insertSorted(list: number[], key: number): void {
  const last = list[list.length - 1];
  if (last === undefined || last < key) {
    list.push(key);
    return;
  }
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] ?? 0) < key) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, key);
}

/** Removes `key` from the ascending list `list` (usually its head: entries leave in order). */
function removeSorted(list: number[], key: number): void {
  if (list[0] === key) {
    list.shift();
    return;
  }
  if (list[list.length - 1] === key) {
    list.pop();
    return;
  }
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] ?? 0) < key) low = middle + 1;
    else high = middle;
  }
  if (list[low] === key) list.splice(low, 1);
}

/**
 * Entry keys grouped by a pair of values (outer, inner), each group in ascending key order, so
 * the first entry in queue order of a group is its head.
 */
class PairIndex {
  readonly #groups = new Map<unknown, Map<unknown, number[]>>();

  /** Records that the entry `key` has the values (outer, inner). */
  add(outer: unknown, inner: unknown, key: number): void {
    let inners = this.#groups.get(outer);
    if (inners === undefined) {
      inners = new Map();
      this.#groups.set(outer, inners);
    }
    const keys = inners.get(inner);
    if (keys === undefined) inners.set(inner, [key]);
    else insertSorted(keys, key);
  }

  /** Forgets that the entry `key` has the values (outer, inner). */
  remove(outer: unknown, inner: unknown, key: number): void {
    const inners = this.#groups.get(outer);
    const keys = inners?.get(inner);
    if (inners === undefined || keys === undefined) return;
    removeSorted(keys, key);
    if (keys.length > 0) return;
    inners.delete(inner);
    if (inners.size === 0) this.#groups.delete(outer);
  }

  /** The keys (ascending) of the entries with the values (outer, inner). */
  keys(outer: unknown, inner: unknown): readonly number[] | undefined {
    return this.#groups.get(outer)?.get(inner);
  }

  /** The smallest key with this outer value whose inner value passes `accept`. */
  first(outer: unknown, accept: (inner: unknown) => boolean): number | undefined {
    let found: number | undefined;
    for (const [inner, keys] of this.#groups.get(outer) ?? []) {
      const head = keys[0];
      if (head !== undefined && (found === undefined || head < found) && accept(inner)) {
        found = head;
      }
    }
    return found;
  }
}

/** Accepts every inner value. */
const any = (): boolean => true;

/**
 * Where packets that left a queue's hands may sit: the queues that handed them out (stream, clear)
 * or were given them (a replacing update). One queue, or a Set when there are several.
 */
export type PacketHomes = WeakMap<object, OutgoingQueue | Set<OutgoingQueue>>;

/**
 * One client's outgoing (in-flight and offline) queue with the exact semantics of the array kept
 * by aedes-persistence 11 `MemoryPersistence`, but without its linear scans: entries live in an
 * insertion-ordered Map under growing keys, indexed by (brokerId, brokerCounter) and by
 * (messageId, brokerId). A delivery (update by broker counter) and a PUBACK (clear by message id)
 * touch the heads of small groups only.
 *
 * Like aedes-persistence, it stores packets by reference: a packet given back to an update may
 * sit at several positions, in several queues, and an update of its message id changes all of
 * them; `homes` (shared by the queues of one persistence) tracks such packets. Callers must not
 * change the three indexed fields of a stored packet themselves (Aedes 1.2 never does).
 */
export class OutgoingQueue {
  readonly #entries = new Map<number, OutgoingPacket>();
  /** Keys by (brokerId, brokerCounter). */
  readonly #byCounter = new PairIndex();
  /** Keys by (messageId, brokerId). */
  readonly #byMessageId = new PairIndex();
  readonly #homes: PacketHomes;
  #nextKey = 0;

  /** @param homes registry shared by all queues of one persistence. */
  constructor(homes: PacketHomes) {
    this.#homes = homes;
  }

  /** Appends `packet` at the end of the queue. */
  append(packet: OutgoingPacket): void {
    const key = this.#nextKey++;
    this.#entries.set(key, packet);
    this.#index(key, packet);
  }

  /**
   * The first entry in queue order that is either the same message (same brokerId and
   * brokerCounter: its messageId becomes `packet.messageId`) or, from another broker id, has
   * `packet.messageId` (it is replaced by `packet`, as a PUBREL replaces a QoS 2 PUBLISH).
   * @returns false when no entry matches.
   */
  update(packet: OutgoingPacket): boolean {
    const { brokerId, brokerCounter, messageId } = packet;
    const same =
      selfEqual(brokerId) && selfEqual(brokerCounter)
        ? this.#byCounter.keys(brokerId, brokerCounter)?.[0]
        : undefined;
    const other = selfEqual(messageId)
      ? this.#byMessageId.first(messageId, (id) => id !== brokerId)
      : undefined;
    if (same !== undefined && (other === undefined || same < other)) {
      this.#setMessageId(same, messageId);
      return true;
    }
    if (other === undefined) return false;
    const replaced = this.#entries.get(other);
    if (replaced !== undefined) this.#unindex(other, replaced);
    // Map.set on an existing key keeps its position in the iteration order.
    this.#entries.set(other, packet);
    this.#index(other, packet);
    this.#escape(packet);
    return true;
  }

  /** Removes and returns the first entry in queue order whose messageId is `messageId`. */
  clear(messageId: unknown): OutgoingPacket | undefined {
    if (!selfEqual(messageId)) return undefined;
    const key = this.#byMessageId.first(messageId, any);
    if (key === undefined) return undefined;
    const packet = this.#entries.get(key);
    if (packet === undefined) return undefined;
    this.#entries.delete(key);
    this.#unindex(key, packet);
    this.#escape(packet);
    return packet;
  }

  /** The queue's packets in order, as a new array (the packets themselves are not copied). */
  snapshot(): OutgoingPacket[] {
    const packets = Array.from(this.#entries.values());
    for (const packet of packets) this.#escape(packet);
    return packets;
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Re-indexes every position of `packet` in this queue after its messageId changed from
   * `previous`. Its positions all share its brokerId and brokerCounter: one counter group.
   */
  reindex(packet: OutgoingPacket, previous: unknown): void {
    const { brokerId, brokerCounter, messageId } = packet;
    for (const position of this.#byCounter.keys(brokerId, brokerCounter) ?? []) {
      if (this.#entries.get(position) !== packet) continue;
      this.#byMessageId.remove(previous, brokerId, position);
      this.#byMessageId.add(messageId, brokerId, position);
    }
  }

  /** Sets the messageId of the packet at `key`, wherever that packet object sits. */
  #setMessageId(key: number, messageId: unknown): void {
    const packet = this.#entries.get(key);
    if (packet === undefined) return;
    const previous = packet.messageId;
    packet.messageId = messageId;
    this.reindex(packet, previous);
    // Only a Set can name other queues: a packet in this queue that left it was escaped here.
    const homes = this.#homes.get(packet);
    if (!(homes instanceof Set)) return;
    for (const home of homes) if (home !== this) home.reindex(packet, previous);
  }

  /** Remembers that `packet`, now known outside, may sit in this queue. */
  #escape(packet: OutgoingPacket): void {
    const homes = this.#homes.get(packet);
    if (homes === undefined) this.#homes.set(packet, this);
    else if (homes instanceof OutgoingQueue) {
      if (homes !== this) this.#homes.set(packet, new Set([homes, this]));
    } else homes.add(this);
  }

  #index(key: number, packet: OutgoingPacket): void {
    this.#byCounter.add(packet.brokerId, packet.brokerCounter, key);
    this.#byMessageId.add(packet.messageId, packet.brokerId, key);
  }

  #unindex(key: number, packet: OutgoingPacket): void {
    this.#byCounter.remove(packet.brokerId, packet.brokerCounter, key);
    this.#byMessageId.remove(packet.messageId, packet.brokerId, key);
  }
}
