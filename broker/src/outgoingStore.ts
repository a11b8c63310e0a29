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

/** The first index of the ascending list `list` whose entry is not below `key` (binary search). */
function lowerBound(list: number[], key: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] ?? 0) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Inserts `key` into the ascending list `list` (usually at its end: keys grow). */
function insertSorted(list: number[], key: number): void {
  const last = list[list.length - 1];
  if (last === undefined || last < key) {
    list.push(key);
    return;
  }
  list.splice(lowerBound(list, key), 0, key);
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
  const at = lowerBound(list, key);
  if (list[at] === key) list.splice(at, 1);
}

/**
 * Ascending lists of entry keys by one value, so the first entry in queue order with that value
 * is the head of its list. An empty list is dropped, except the one of `undefined` (the message
 * id of every packet not sent yet): V8 keeps a deleted Map entry in its hash chain until the next
 * rehash, so deleting and re-adding one key per vote in a Map of thousands of keys makes that
 * chain, and every lookup of the key, grow (measured: 8-13 us per set/delete pair at 5,000 keys).
 */
class KeyIndex {
  readonly #lists = new Map<unknown, number[]>();

  /** Records that the entry `key` has `value`. */
  add(value: unknown, key: number): void {
    const keys = this.#lists.get(value);
    if (keys === undefined) this.#lists.set(value, [key]);
    else insertSorted(keys, key);
  }

  /** Forgets that the entry `key` has `value`. */
  remove(value: unknown, key: number): void {
    const keys = this.#lists.get(value);
    if (keys === undefined) return;
    removeSorted(keys, key);
    if (keys.length === 0 && value !== undefined) this.#lists.delete(value);
  }

  /** The keys (ascending) of the entries with `value`. */
  keys(value: unknown): readonly number[] | undefined {
    return this.#lists.get(value);
  }
}

/**
 * Where packets known outside may sit: the queues that streamed them out or were given them by a
 * replacing update. One queue, or a Set when there are several. A packet a queue appended itself
 * is in that queue only, at one position, until the queue streams it; a packet returned by
 * `clear` left that position, and any other position it has was given by an update.
 */
export type PacketHomes = WeakMap<object, OutgoingQueue | Set<OutgoingQueue>>;

/**
 * One client's outgoing (in-flight and offline) queue with the exact semantics of the array kept
 * by aedes-persistence 11 `MemoryPersistence`, but without its linear scans: entries live in an
 * insertion-ordered Map under growing keys, indexed by brokerCounter per brokerId and by messageId.
 * A delivery (update by broker counter) and a PUBACK (clear by message id) touch the heads of
 * lists of one entry, usually.
 *
 * Like aedes-persistence, it stores packets by reference: a packet given back to an update may
 * sit at several positions, in several queues, and an update of its message id changes all of
 * them; `homes` (shared by the queues of one persistence) tracks such packets. Callers must not
 * change the three indexed fields of a stored packet themselves (Aedes 1.2 never does).
 */
export class OutgoingQueue {
  readonly #entries = new Map<number, OutgoingPacket>();
  /** Keys by brokerCounter, per brokerId (a handful of ids: never deleted, see KeyIndex). */
  readonly #byCounter = new Map<unknown, KeyIndex>();
  /** Keys by messageId. */
  readonly #byMessageId = new KeyIndex();
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
        ? this.#byCounter.get(brokerId)?.keys(brokerCounter)?.[0]
        : undefined;
    const other = selfEqual(messageId) ? this.#otherBroker(messageId, brokerId, same) : undefined;
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
    const key = this.#byMessageId.keys(messageId)?.[0];
    if (key === undefined) return undefined;
    const packet = this.#entries.get(key);
    if (packet === undefined) return undefined;
    this.#entries.delete(key);
    this.#unindex(key, packet);
    return packet;
  }

  /** The queue's packets in order, as a new array (the packets themselves are not copied). */
  snapshot(): OutgoingPacket[] {
    const packets = Array.from(this.#entries.values());
    for (const packet of packets) this.#escape(packet);
    return packets;
  }

  /**
   * Re-indexes every position of `packet` in this queue after its messageId changed from
   * `previous`. Its positions all share its brokerId and brokerCounter: one counter group.
   */
  reindex(packet: OutgoingPacket, previous: unknown): void {
    const { brokerId, brokerCounter, messageId } = packet;
    for (const position of this.#byCounter.get(brokerId)?.keys(brokerCounter) ?? []) {
      if (this.#entries.get(position) !== packet) continue;
      this.#byMessageId.remove(previous, position);
      this.#byMessageId.add(messageId, position);
    }
  }

  /** Sets the messageId of the packet at `key`, wherever that packet object sits. */
  #setMessageId(key: number, messageId: unknown): void {
    const packet = this.#entries.get(key);
    if (packet === undefined) return;
    const previous = packet.messageId;
    packet.messageId = messageId;
    this.reindex(packet, previous);
    // Only a Set can name other queues: a packet of this queue known outside has this queue home.
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

  /**
   * The first key with `messageId` whose packet has another broker id than `brokerId`, if it comes
   * before `before`. Usually one key to look at; a scan only where `messageId` is undefined.
   */
  #otherBroker(
    messageId: unknown,
    brokerId: unknown,
    before: number | undefined,
  ): number | undefined {
    for (const key of this.#byMessageId.keys(messageId) ?? []) {
      if (before !== undefined && key > before) return undefined;
      if (this.#entries.get(key)?.brokerId !== brokerId) return key;
    }
    return undefined;
  }

  #index(key: number, packet: OutgoingPacket): void {
    let counters = this.#byCounter.get(packet.brokerId);
    if (counters === undefined) {
      counters = new KeyIndex();
      this.#byCounter.set(packet.brokerId, counters);
    }
    counters.add(packet.brokerCounter, key);
    this.#byMessageId.add(packet.messageId, key);
  }

  #unindex(key: number, packet: OutgoingPacket): void {
    this.#byCounter.get(packet.brokerId)?.remove(packet.brokerCounter, key);
    this.#byMessageId.remove(packet.messageId, key);
  }
}
