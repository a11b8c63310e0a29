import { TableSortByFieldStateBuilder } from '@grafana/grafana-foundation-sdk/common';
import {
  CustomVariableBuilder,
  type Dashboard,
  DashboardBuilder,
  type DynamicConfigValue,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { leaderboardQueries } from '../queries.js';
import {
  colourLikes,
  DASHBOARD_UIDS,
  type DashboardOptions,
  eventVariable,
  influx,
  joinBy,
  keepFields,
  roomVariable,
  withCommon,
} from './common.js';

/** Default of the `min_votes` variable: talks with fewer votes are not ranked. */
export const DEFAULT_MIN_VOTES = 10;

/** Link from a leaderboard row to the talk's own view, over its vote window. */
export const TALK_VIEW_LINK =
  `/d/${DASHBOARD_UIDS.talk}/likebox-talk?var-event=\${event}&var-talk=\${__data.fields.talk}` +
  `&from=\${__data.fields.start}&to=\${__data.fields.closes}`;

const hidden: DynamicConfigValue[] = [{ id: 'custom.hidden', value: true }];

function minVotesVariable(): CustomVariableBuilder {
  const values = [1, 5, 10, 20, 50, 100].map(String);
  const current = String(DEFAULT_MIN_VOTES);
  return new CustomVariableBuilder('min_votes')
    .label('Minimum votes')
    .values(values.join(','))
    .options(values.map((value) => ({ text: value, value, selected: value === current })))
    .current({ text: current, value: current, selected: true });
}

function rankingTable(): TableBuilder {
  const table = new TableBuilder()
    .title('Talk leaderboard')
    .description(
      'Ranked by the Wilson score lower bound (95 %) of the like ratio: a talk needs both a high ' +
        'ratio and enough votes. Talks under the minimum vote count are left out. Click a title.',
    )
    .span(24)
    .height(22)
    .withTarget(influx('A', leaderboardQueries.ranking, 'table'))
    .withTarget(influx('B', leaderboardQueries.titles, 'table'))
    .transformations([
      joinBy('talk'),
      ...keepFields(
        [
          'room',
          'title',
          'speakers',
          'likes',
          'dislikes',
          'votes',
          'ratio',
          'wilson',
          'talk',
          'start',
          'closes',
        ],
        {
          room: 'Room',
          title: 'Talk',
          speakers: 'Speakers',
          ratio: 'Like ratio',
          wilson: 'Wilson bound',
        },
      ),
    ])
    .sortBy([new TableSortByFieldStateBuilder().displayName('Wilson bound').desc(true)]);
  return formatRanking(table);
}

// Colours, units, the Wilson gauge, the link to the talk view, and hidden helper columns.
function formatRanking(table: TableBuilder): TableBuilder {
  return colourLikes(table)
    .overrideByName('ratio', [
      { id: 'unit', value: 'percentunit' },
      { id: 'decimals', value: 0 },
    ])
    .overrideByName('wilson', [
      { id: 'decimals', value: 3 },
      { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } },
      { id: 'min', value: 0 },
      { id: 'max', value: 1 },
    ])
    .overrideByName('title', [
      { id: 'links', value: [{ title: 'The talk, vote by vote', url: TALK_VIEW_LINK }] },
    ])
    .overrideByName('talk', hidden)
    .overrideByName('start', hidden)
    .overrideByName('closes', hidden);
}

/** After the event: every talk ranked fairly; last 7 days by default. */
export function leaderboardDashboard(options: DashboardOptions): Dashboard {
  const builder = new DashboardBuilder('LikeBox: talk leaderboard')
    .description('Which talks the audience loved, ranked fairly (Wilson score lower bound).')
    .time({ from: 'now-7d', to: 'now' })
    .refresh('1m')
    .withVariable(eventVariable(options))
    .withVariable(roomVariable())
    .withVariable(minVotesVariable())
    .withPanel(rankingTable());
  return withCommon(builder, DASHBOARD_UIDS.leaderboard).build();
}
