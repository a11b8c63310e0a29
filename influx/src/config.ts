/**
 * InfluxDB connection settings, as every LikeBox writer and reader takes them (`LIKEBOX_INFLUX_*`);
 * absent when the ingest runs on its journal alone.
 */
export interface InfluxConfig {
  /** Base URL, e.g. `http://127.0.0.1:8086`. */
  url: string;
  /** v1 database name. */
  database: string;
  /** Retention policy to write into, or undefined for the database default. */
  retentionPolicy: string | undefined;
  /** Duration of the retention policy when it is created. */
  retention: string;
  /** v1 username, if any. */
  username: string | undefined;
  /** v1 password or 2.x/3.x token, if any. */
  password: string | undefined;
  /** True with a token: 2.x/3.x, where the database is not created by the ingest. */
  token: boolean;
  /** Largest number of points per write. */
  batchSize: number;
}
