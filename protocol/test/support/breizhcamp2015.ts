import { readFileSync } from 'node:fs';
import { type Schedule, SchedulePayload, slugifyAll, type Talk } from '../../src/index.js';

interface Proposal {
  id: string;
  start: string;
  end: string;
  title: string;
  format: string;
  room: string;
}
interface Programme {
  programme: { jours: { date: string; proposals: Proposal[] }[] };
}

/** "10/06/2015" + "9:00" → ISO instant; BreizhCamp runs in June in Rennes: CEST, +02:00. */
function instant(date: string, time: string): string {
  const [day, month, year] = date.split('/');
  const [hours, minutes] = time.split(':');
  return `${year}-${month}-${day}T${hours?.padStart(2, '0')}:${minutes?.padStart(2, '0')}:00+02:00`;
}

/**
 * The real BreizhCamp 2015 programme (fixture copied from shared/data) as a normalised schedule.
 * Test support only: the organisers' importer is `likebox schedule import` (ingest). Breaks are
 * kept as non-votable slots; their shared id "TBD" is made unique with the day and start time.
 */
export function breizhcamp2015(overrides: Partial<Schedule> = {}): Schedule {
  const file = new URL('../fixtures/breizhcamp-2015.json', import.meta.url);
  const programme = JSON.parse(readFileSync(file, 'utf8')) as Programme;
  const proposals = programme.programme.jours.flatMap((day) =>
    day.proposals.map((proposal) => ({ ...proposal, date: day.date })),
  );
  const { slugs } = slugifyAll(proposals.map((p) => p.room));
  const talks: Talk[] = proposals.map((p) => ({
    id:
      p.id === 'TBD'
        ? `TBD-${p.date.slice(0, 2)}-${p.start.replace(':', '')}-${slugs.get(p.room)}`
        : p.id,
    room: slugs.get(p.room) ?? '',
    start: instant(p.date, p.start),
    end: instant(p.date, p.end),
    title: p.title,
    speakers: [],
    format: p.format,
    votable: p.format !== 'break',
  }));
  return SchedulePayload.parse({
    version: 1,
    event: 'breizhcamp-2015',
    name: 'BreizhCamp 2015',
    timeZone: 'Europe/Paris',
    rooms: [...slugs].map(([name, slug]) => ({ slug, name })),
    talks,
    ...overrides,
  });
}

/** Epoch ms of a local CEST wall-clock time during BreizhCamp 2015, e.g. `at('11/06', '17:40')`. */
export function at(dayMonth: string, time: string, seconds = 0): number {
  return Date.parse(instant(`${dayMonth}/2015`, time)) + seconds * 1000;
}
