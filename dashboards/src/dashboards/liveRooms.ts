import {
  AnnotationQueryBuilder,
  type Dashboard,
  DashboardBuilder,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../provisioning.js';
import { liveQueries } from '../queries.js';
import {
  colourLikes,
  cumulativeCurve,
  DASHBOARD_UIDS,
  type DashboardOptions,
  eventVariable,
  influx,
  joinBy,
  keepFields,
  roomVariable,
  withCommon,
} from './common.js';

/** Dashboard annotation: a band per talk, from its start to its end, titled with the talk's title. */
export function talkBands(query: string = liveQueries.talkBands): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Talks')
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor('rgba(90, 140, 255, 0.35)')
    .target(
      influx('Talks', query, 'table').annotationColumns({
        text: 'title',
        tags: 'room',
        timeEnd: 'end',
      }),
    );
}

// "Now in every room": today's figures per talk, kept only for the talk that started last in
// each room (inner join of the two queries on `talk`).
function nowTable(): TableBuilder {
  return colourLikes(
    new TableBuilder()
      .title('Now in every room')
      .description(
        'The current (or last) talk of each room: likes, dislikes, like ratio, net score. ' +
          'A room shows up once its current talk has a vote.',
      )
      .span(24)
      .height(7)
      .withTarget(influx('A', liveQueries.talkStats, 'table'))
      .withTarget(influx('B', liveQueries.currentTalks, 'table'))
      .transformations([
        joinBy('talk'),
        ...keepFields(['room', 'title', 'likes', 'dislikes', 'ratio', 'net', 'votes'], {
          room: 'Room',
          title: 'Talk',
          ratio: 'Like ratio',
          net: 'Net score',
        }),
      ])
      .overrideByName('ratio', [
        { id: 'unit', value: 'percentunit' },
        { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } },
        { id: 'min', value: 0 },
        { id: 'max', value: 1 },
      ]),
  );
}

function cumulativePanel(): TimeseriesBuilder {
  return cumulativeCurve(
    new TimeseriesBuilder()
      .title('Likes and dislikes: $room')
      .description('Cumulative since the start of the range; talks are shown as bands.')
      .repeat('room')
      .repeatDirection('h')
      .maxPerRow(3)
      .span(8)
      .height(9),
    liveQueries,
  );
}

function votesPerMinute(): TimeseriesBuilder {
  return new TimeseriesBuilder()
    .title('Votes per minute')
    .span(24)
    .height(8)
    .withTarget(influx('A', liveQueries.votesPerMinute, 'time_series', '$tag_room'))
    .min(0)
    .decimals(0)
    .unit('votes/min');
}

/** The big-screen dashboard: every room live, refreshed every 5 s, today by default. */
export function liveRoomsDashboard(options: DashboardOptions): Dashboard {
  const builder = new DashboardBuilder('LikeBox: live rooms')
    .description('Which room loves its talk right now, which talk is sinking.')
    .time({ from: 'now/d', to: 'now/d' })
    .refresh('5s')
    .withVariable(eventVariable(options))
    .withVariable(roomVariable())
    .annotation(talkBands())
    .withPanel(nowTable())
    .withPanel(votesPerMinute())
    .withRow(new RowBuilder('Rooms'))
    .withPanel(cumulativePanel());
  return withCommon(builder, DASHBOARD_UIDS.live).build();
}
