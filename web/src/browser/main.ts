/// <reference lib="dom" />
import './zodSetup.js';
import { brokerUrl, PageConfig } from '../pageConfig.js';
import { parseRoute, type WebRoute } from '../routes.js';
import { ConnectionBadge } from './components.js';
import { h } from './dom.js';
import { FrameBatch } from './frameBatch.js';
import { HistoryLoader } from './historyLoader.js';
import { startLiveFeed } from './liveFeed.js';
import { LiveState } from './liveState.js';
import type { View, ViewContext } from './view.js';
import { OrganiserView } from './views/organiser.js';
import { OverviewView } from './views/overview.js';
import { ResultsView } from './views/results.js';
import { RoomDisplayView } from './views/roomDisplay.js';
import { TalkPageView } from './views/talkPage.js';

/** Delay between two attempts to read `/config.json` while the server is unreachable. */
const CONFIG_RETRY_MS = 3000;

/** Reads `/config.json` and measures the offset between the server's clock and this device's. */
async function fetchConfig(): Promise<{ config: PageConfig; offset: number }> {
  const sent = Date.now();
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = PageConfig.parse(await response.json());
  const received = Date.now();
  return { config, offset: config.serverTime - (sent + received) / 2 };
}

/**
 * {@link fetchConfig}, again every few seconds until it works: a TV switched on before the server
 * (or during its restart) must come up by itself.
 */
async function loadConfig(root: HTMLElement): Promise<{ config: PageConfig; offset: number }> {
  for (;;) {
    try {
      return await fetchConfig();
    } catch (err) {
      root.replaceChildren(
        h(
          'p',
          { class: 'empty', 'data-role': 'waiting' },
          `Waiting for the LikeBox server (${String(err)})…`,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, CONFIG_RETRY_MS));
    }
  }
}

function createView(route: WebRoute, context: ViewContext): View {
  switch (route.view) {
    case 'overview':
      return new OverviewView(context, { embedded: false, rooms: null });
    case 'embed':
      return new OverviewView(context, { embedded: true, rooms: route.rooms });
    case 'room':
      return new RoomDisplayView(context, route.room);
    case 'talk':
      return new TalkPageView(context, route.talk);
    case 'results':
      return new ResultsView(context);
    case 'organiser':
      return new OrganiserView(context);
  }
}

async function start(root: HTMLElement): Promise<void> {
  const route = parseRoute(location.pathname, location.search);
  if (route === null) throw new Error(`no view at ${location.pathname}`);
  const { config, offset } = await loadConfig(root);
  const clock = () => Date.now() + offset;
  const state = new LiveState(config.event, clock);
  const badge = new ConnectionBadge();
  const view = createView(route, { state, clock, badge });
  root.replaceChildren(view.element);
  const history = new HistoryLoader(state);
  const batch = new FrameBatch((changes) => {
    for (const change of changes) view.onChange(change);
    history.want(view.shownTalks());
  });
  state.subscribe((change) => batch.push(change));
  history.want(view.shownTalks());
  setInterval(() => view.tick(), 1000);
  startLiveFeed(state, {
    url: brokerUrl(config, location),
    username: config.mqtt.username,
    password: config.mqtt.password,
    onState: (connection) => badge.update(connection),
  });
}

const root = document.getElementById('app') ?? document.body;
start(root).catch((err: unknown) => {
  root.replaceChildren(
    h(
      'p',
      { class: 'fatal', 'data-role': 'fatal' },
      `The live page could not start: ${String(err)}`,
    ),
  );
});
