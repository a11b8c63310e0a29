import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';

/** How Grafana's InfluxDB datasource shapes an InfluxQL answer. */
export type InfluxResultFormat = 'time_series' | 'table' | 'logs';

/**
 * A raw InfluxQL target of Grafana's InfluxDB datasource, as Grafana stores it in dashboard JSON.
 * The foundation SDK has no InfluxDB query type, so this implements its `Dataquery` variant.
 */
export interface InfluxQuery {
  /** Query id within the panel (`A`, `B`, ...). */
  refId?: string;
  /** Hide this query's result from the panel. */
  hide?: boolean;
  /** The datasource this query runs on. */
  datasource?: DataSourceRef;
  /** The InfluxQL text, with Grafana macros (`$timeFilter`, `$__interval`, `$variables`). */
  query: string;
  /** Always true: the text is used as written (no query-builder model). */
  rawQuery: true;
  /** Series per group (`time_series`) or one table (`table`). */
  resultFormat: InfluxResultFormat;
  /** Series name pattern (`$tag_room`, `$col`); only for `time_series`. */
  alias?: string;
  /** Annotation queries only: true, as Grafana's InfluxDB annotation editor saves it. */
  fromAnnotations?: boolean;
  /** Annotation queries only: the column holding the annotation text. */
  textColumn?: string;
  /** Annotation queries only: comma-separated columns whose values become annotation tags. */
  tagsColumn?: string;
  /** Annotation queries only: the column holding the end (epoch ms) of a region annotation. */
  timeEndColumn?: string;
  /** Marks this object as a foundation-SDK dataquery variant. */
  _implementsDataqueryVariant(): void;
}

/** Builds an {@link InfluxQuery}: the foundation SDK's dataquery builder contract for InfluxQL. */
export class InfluxQueryBuilder implements Builder<Dataquery> {
  private readonly internal: InfluxQuery;

  /** @param query InfluxQL text with Grafana macros. */
  constructor(query: string) {
    this.internal = {
      query,
      rawQuery: true,
      resultFormat: 'time_series',
      _implementsDataqueryVariant() {},
    };
  }

  /** The query object as Grafana stores it. */
  build(): InfluxQuery {
    return this.internal;
  }

  /** Sets the query id. */
  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  /** Hides the result. */
  hide(hide: boolean): this {
    this.internal.hide = hide;
    return this;
  }

  /** Sets the datasource. */
  datasource(datasource: DataSourceRef): this {
    this.internal.datasource = datasource;
    return this;
  }

  /** Sets the result format. */
  resultFormat(format: InfluxResultFormat): this {
    this.internal.resultFormat = format;
    return this;
  }

  /** Sets the series alias pattern. */
  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }

  /** Makes this an annotation query: its columns for text, tags and the end of the band. */
  annotationColumns(columns: { text: string; tags?: string; timeEnd?: string }): this {
    this.internal.fromAnnotations = true;
    this.internal.resultFormat = 'table';
    this.internal.textColumn = columns.text;
    if (columns.tags !== undefined) this.internal.tagsColumn = columns.tags;
    if (columns.timeEnd !== undefined) this.internal.timeEndColumn = columns.timeEnd;
    return this;
  }
}
