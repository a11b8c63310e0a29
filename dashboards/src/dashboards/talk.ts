import {
  type Dashboard,
  DashboardBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../provisioning.js';
import { talkQueries, variableQueries } from '../queries.js';
import {
  colourLikes,
  cumulativeCurve,
  DASHBOARD_UIDS,
  type DashboardOptions,
  eventVariable,
  influx,
  keepFields,
  withCommon,
} from './common.js';
import { talkBands } from './liveRooms.js';

function talkVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('talk')
    .label('Talk')
    .datasource(DATASOURCE)
    .query(variableQueries.talk)
    .refresh(VariableRefresh.OnDashboardLoad)
    .sort(VariableSort.AlphabeticalAsc);
}

function about(): TableBuilder {
  return new TableBuilder()
    .title('Talk')
    .span(24)
    .height(4)
    .withTarget(influx('A', talkQueries.about, 'table'))
    .transformations(
      keepFields(['room', 'title', 'speakers'], {
        room: 'Room',
        title: 'Title',
        speakers: 'Speakers',
      }),
    );
}

function figures(): StatBuilder {
  return colourLikes(
    new StatBuilder()
      .title('Figures')
      .span(24)
      .height(5)
      .withTarget(influx('A', talkQueries.stats, 'table'))
      .transformations(keepFields(['likes', 'dislikes', 'votes', 'ratio', 'net', 'wilson'])),
  )
    .overrideByName('ratio', [{ id: 'unit', value: 'percentunit' }])
    .overrideByName('wilson', [
      { id: 'decimals', value: 3 },
      { id: 'displayName', value: 'Wilson bound (95 %)' },
    ]);
}

function curve(): TimeseriesBuilder {
  return cumulativeCurve(
    new TimeseriesBuilder().title('Likes and dislikes, cumulative').span(16).height(10),
    talkQueries,
  );
}

function perMinute(): TimeseriesBuilder {
  return new TimeseriesBuilder()
    .title('Votes per minute')
    .span(8)
    .height(10)
    .withTarget(influx('A', talkQueries.votesPerMinute, 'time_series', 'votes'))
    .min(0)
    .decimals(0);
}

/** One talk, vote by vote: the speaker's curve. Opened from the leaderboard over the talk's window. */
export function talkDashboard(options: DashboardOptions): Dashboard {
  const builder = new DashboardBuilder('LikeBox: talk')
    .description("One talk's votes: the speaker's curve.")
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(eventVariable(options))
    .withVariable(talkVariable())
    .annotation(talkBands(talkQueries.band))
    .withPanel(about())
    .withPanel(figures())
    .withPanel(curve())
    .withPanel(perMinute());
  return withCommon(builder, DASHBOARD_UIDS.talk).build();
}
