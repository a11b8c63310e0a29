import { commands } from './cli.js';

// `node device/dist/main.js [flags]`: the box itself, as systemd runs it.
await commands.device?.(process.argv.slice(2));
