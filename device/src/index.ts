export { createHardware, type Hardware, type HardwareOptions } from './board.js';
export { Box, type BoxDeps, type BoxEvents } from './box.js';
export { type ClockSync, fixedClockSync, systemClockSync } from './clock.js';
export {
  BoxEnv,
  type Config,
  ConfigSchema,
  configOf,
  loadConfig,
  loadSimConfig,
  type SimConfig,
  SimConfigSchema,
  SimEnv,
  simConfigOf,
} from './config.js';
export { ControlServer, type PressOutcome, VirtualButtons } from './control.js';
export { type CrowdOptions, DEFAULT_CROWD, planBurst } from './crowd.js';
export { type RunningDevice, startDevice, VERSION } from './device.js';
export { ConfigError, DeviceError } from './errors.js';
export { Hd44780 } from './hd44780.js';
export { createIo, firmataOn } from './io.js';
export { type NewVote, Outbox } from './outbox.js';
export { Publisher, type PublisherOptions } from './publisher.js';
export { type SimOptions, Simulator } from './sim.js';
export { VirtualIo } from './virtualIo.js';
export {
  BUTTON_VALUE,
  type ButtonName,
  DEFAULT_GATE_OPTIONS,
  VoteGate,
  type VoteGateOptions,
} from './voteGate.js';
