import { PanelBuilder as BarGaugeBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import {
  type Dashboard,
  DashboardBuilder,
  FieldColorBuilder,
  FieldColorModeId,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { fleetQueries } from '../queries.js';
import {
  DASHBOARD_UIDS,
  type DashboardOptions,
  eventVariable,
  fixedColour,
  influx,
  keepFields,
  withCommon,
} from './common.js';

function stat(title: string, query: string, colour: string, unit = 'none'): StatBuilder {
  return new StatBuilder()
    .title(title)
    .span(4)
    .height(4)
    .withTarget(influx('A', query, 'table'))
    .unit(unit)
    .colorScheme(new FieldColorBuilder().mode(FieldColorModeId.Fixed).fixedColor(colour));
}

function boxesTable(): TableBuilder {
  return new TableBuilder()
    .title('Boxes')
    .description('Last status of each box: online or not, room; "last seen" is its time.')
    .span(12)
    .height(12)
    .withTarget(influx('A', fleetQueries.boxes, 'table'))
    .transformations(
      keepFields(['device', 'room', 'online', 'Time'], {
        device: 'Box',
        room: 'Room',
        online: 'Online',
        Time: 'Last seen',
      }),
    )
    .overrideByName('Time', [{ id: 'unit', value: 'dateTimeFromNow' }])
    .overrideByName('online', [
      {
        id: 'mappings',
        value: [
          {
            type: 'value',
            options: {
              true: { text: 'online', color: 'green', index: 0 },
              false: { text: 'OFFLINE', color: 'red', index: 1 },
            },
          },
        ],
      },
      { id: 'custom.cellOptions', value: { type: 'color-background' } },
    ]);
}

// `$col` names each series after its column (`in`, `out`, ...), not `broker.in`: the overrides and
// legends rely on it.
function series(title: string, query: string, unit: string, alias = '$col'): TimeseriesBuilder {
  return new TimeseriesBuilder()
    .title(title)
    .span(12)
    .height(8)
    .interval('10s')
    .withTarget(influx('A', query, 'time_series', alias))
    .unit(unit)
    .min(0);
}

/** The boxes, the broker and the ingest: what went silent, what is backing up. */
export function fleetDashboard(options: DashboardOptions): Dashboard {
  const builder = new DashboardBuilder('LikeBox: fleet health')
    .description(
      'Boxes online and last seen, outboxes, votes per box, broker clients and rates, ingest lag.',
    )
    .time({ from: 'now-6h', to: 'now' })
    .refresh('10s')
    .withVariable(eventVariable(options))
    .withPanel(stat('Boxes online', fleetQueries.online, 'green'))
    .withPanel(stat('Boxes offline', fleetQueries.offline, 'red'))
    .withPanel(stat('Votes in outboxes', fleetQueries.outboxTotal, 'orange'))
    .withPanel(
      stat('Ingest lag now', fleetQueries.ingestNow, 'blue', 'ms').transformations(
        keepFields(['lag']),
      ),
    )
    .withPanel(
      stat('Ingest backlog', fleetQueries.ingestNow, 'purple').transformations(
        keepFields(['pending']),
      ),
    )
    .withPanel(stat('Broker clients now', fleetQueries.brokerClientsNow, 'text'))
    .withPanel(boxesTable())
    .withPanel(
      new BarGaugeBuilder()
        .title('Votes per box')
        .span(12)
        .height(12)
        .withTarget(influx('A', fleetQueries.votesPerBox, 'time_series', '$tag_device'))
        .unit('none')
        .colorScheme(new FieldColorBuilder().mode(FieldColorModeId.Fixed).fixedColor('green')),
    )
    .withRow(new RowBuilder('Over time'))
    .withPanel(series('Outbox depth', fleetQueries.outboxDepth, 'none').interval('1m'))
    .withPanel(series('Ingest lag', fleetQueries.ingestLag, 'ms'))
    .withPanel(series('Broker clients', fleetQueries.brokerClients, 'none'))
    .withPanel(
      series('Broker messages', fleetQueries.brokerRates, 'msg/s')
        .overrideByName('in', fixedColour('blue'))
        .overrideByName('out', fixedColour('purple')),
    );
  return withCommon(builder, DASHBOARD_UIDS.fleet).build();
}
