// `node device/dist/main.js [flags]`: the box itself, as systemd runs it (= `likebox device`).
import { quietPacketDebug } from '@likebox/runtime/quiet-debug';

// First, before MQTT.js loads mqtt-packet: its disabled debug loggers become free.
quietPacketDebug();
const { commands } = await import('./cli.js');
const { deviceCommand } = await import('./deviceCommand.js');
process.exitCode = await deviceCommand.main(process.argv.slice(2), {
  knownVariables: () => commands.flatMap((command) => command.variables),
});
