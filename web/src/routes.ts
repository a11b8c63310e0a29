import { isSlug } from '@likebox/protocol';

/**
 * The views of the live page, as URLs. Shared by the server (which answers only these paths) and
 * the browser (which picks the view to render), so the two never disagree.
 */
export type WebRoute =
  /** `/`: every room with its current talk, counts and live curve. */
  | { view: 'overview' }
  /** `/rooms/{room}`: the room display for a TV or the box's HDMI output. */
  | { view: 'room'; room: string }
  /** `/talks/{talk}`: the speaker's page (talk id URL-encoded). */
  | { view: 'talk'; talk: string }
  /** `/embed` or `/embed?rooms=a,b`: the compact read-only view other sites put in an iframe. */
  | { view: 'embed'; rooms: string[] | null }
  /** `/results` (filters in the query: `?day=&room=&format=`): every talk ranked. */
  | { view: 'results' }
  /** `/organiser`: the active notices, behind an organiser's login; linked from no public page. */
  | { view: 'organiser' };

/** Longest talk id accepted in a URL, as in the protocol's `TalkId`. */
const TALK_ID_MAX = 128;

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function embedRooms(search: string): string[] | null {
  const value = new URLSearchParams(search).get('rooms');
  if (value === null || value.trim() === '') return null;
  return value
    .split(',')
    .map((room) => room.trim())
    .filter(isSlug);
}

/**
 * The view a path stands for, or null when the path is none of ours. A trailing slash is
 * tolerated; a room that is not a slug or a talk id that is empty, too long or badly encoded is
 * not a view.
 */
export function parseRoute(pathname: string, search = ''): WebRoute | null {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname;
  if (path === '/') return { view: 'overview' };
  if (path === '/embed') return { view: 'embed', rooms: embedRooms(search) };
  if (path === '/results') return { view: 'results' };
  if (path === '/organiser') return { view: 'organiser' };
  const [, scope, name, ...rest] = path.split('/');
  if (name === undefined || rest.length > 0) return null;
  if (scope === 'rooms') return isSlug(name) ? { view: 'room', room: name } : null;
  if (scope === 'talks') {
    const talk = decodeSegment(name);
    return talk !== null && talk.length > 0 && talk.length <= TALK_ID_MAX
      ? { view: 'talk', talk }
      : null;
  }
  return null;
}

/** The path of a view, the inverse of {@link parseRoute}. */
export function routePath(route: WebRoute): string {
  switch (route.view) {
    case 'overview':
      return '/';
    case 'room':
      return `/rooms/${route.room}`;
    case 'talk':
      return `/talks/${encodeURIComponent(route.talk)}`;
    case 'embed':
      return route.rooms === null ? '/embed' : `/embed?rooms=${route.rooms.join(',')}`;
    case 'results':
      return '/results';
    case 'organiser':
      return '/organiser';
  }
}
