import type { ConnectionBadge } from './components.js';
import type { LiveChange, LiveState } from './liveState.js';

/** What every page gets: the live state, the corrected clock and the connection indicator. */
export interface ViewContext {
  /** The event's live state, fed by MQTT. */
  state: LiveState;
  /** Now on the server's clock, epoch ms. */
  clock: () => number;
  /** The connection indicator, shown in the view's header. */
  badge: ConnectionBadge;
}

/** A rendered page. */
export interface View {
  /** The page's root element. */
  readonly element: HTMLElement;
  /** Reacts to a change of the live state. */
  onChange(change: LiveChange): void;
  /** Called every second: countdowns, clocks and the right edge of the curves. */
  tick(): void;
  /** The talks whose curves the view draws: their history is loaded from the results API. */
  shownTalks(): string[];
}
