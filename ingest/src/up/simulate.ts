import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';

/** Device ids of the simulated boxes: `sim-box-1` … `sim-box-N`. */
export function simulatedBoxIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `sim-box-${i + 1}`);
}

/** Options of {@link startSimulatedBoxes}. */
export interface SimulatedBoxesOptions {
  count: number;
  event: string;
  mqttUrl: string;
  dataDir: string;
  passwords: Map<string, string>;
  logger: Logger;
}

/** Runs simulated boxes in process. */
export function startSimulatedBoxes(
  _options: SimulatedBoxesOptions,
): Promise<{ stop(): Promise<void> }> {
  return Promise.reject(new ConfigError('the simulator is not available yet'));
}
