// `node broker/dist/main.js [flags]`: the same as `likebox broker`.
import { quietPacketDebug } from '@likebox/runtime/quiet-debug';

// First, before Aedes loads mqtt-packet: its disabled debug loggers become free.
quietPacketDebug();
const { commands } = await import('./cli.js');
const { brokerCommand } = await import('./brokerCommand.js');
process.exitCode = await brokerCommand.main(process.argv.slice(2), {
  knownVariables: () => commands.flatMap((command) => command.variables),
});
