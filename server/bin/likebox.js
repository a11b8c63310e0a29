#!/usr/bin/env node
// @ts-check
/**
 * `likebox <command>`: one entry point that dispatches to the workspaces (ARCHITECTURE.md).
 * Each workspace that implements commands exports `./cli` with `commands: { [name]: (argv) => Promise<void> }`;
 * the command owns the process from there (config, logger, signals, exit code).
 */
import { readFileSync } from 'node:fs';
// First, before any workspace loads mqtt-packet: its disabled debug loggers become free.
import '@likebox/runtime/quiet-debug';

/** @type {Record<string, { summary: string, module: string, issue: number }>} */
const COMMANDS = {
  up: {
    summary: 'the whole event server in one process: broker, ingest, live web page',
    module: '@likebox/server/cli',
    issue: 8,
  },
  broker: {
    summary: 'the MQTT broker (TCP, WebSocket, TLS) with users, roles and ACL',
    module: '@likebox/broker/cli',
    issue: 3,
  },
  ingest: {
    summary: 'MQTT votes into the journal and InfluxDB; acks, tallies, now, schedule',
    module: '@likebox/ingest/cli',
    issue: 5,
  },
  device: {
    summary: 'a box: buttons, LCD and LED through Johnny-Five, durable outbox',
    module: '@likebox/device/cli',
    issue: 4,
  },
  sim: {
    summary: 'N simulated boxes voting like exit crowds',
    module: '@likebox/device/cli',
    issue: 4,
  },
  users: {
    summary: 'broker credentials: add, remove, list, passwd (scrypt hashes)',
    module: '@likebox/broker/cli',
    issue: 3,
  },
  schedule: {
    summary: 'import a programme (BreizhCamp, frab, pretalx, Sessionize); declare a room late',
    module: '@likebox/schedule/cli',
    issue: 6,
  },
  dashboards: {
    summary: 'write the Grafana dashboards and provisioning files',
    module: '@likebox/dashboards/cli',
    issue: 7,
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

function usage() {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return [
    `likebox ${pkg.version}: +1/-1 feedback boxes for conferences`,
    '',
    'Usage: likebox <command> [options]     likebox <command> --help',
    '',
    'Commands:',
    ...lines,
    '',
    'Configuration comes from LIKEBOX_* environment variables (see .env.example).',
  ].join('\n');
}

/** @param {unknown} err */
function errorCode(err) {
  return err instanceof Error && 'code' in err ? err.code : undefined;
}

async function main() {
  const [name, ...argv] = process.argv.slice(2);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  if (name === '--version' || name === '-v') {
    console.log(pkg.version);
    return;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    console.error(`likebox: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  let commands;
  try {
    ({ commands } = await import(command.module));
  } catch (err) {
    if (
      errorCode(err) !== 'ERR_PACKAGE_PATH_NOT_EXPORTED' &&
      errorCode(err) !== 'ERR_MODULE_NOT_FOUND'
    ) {
      throw err;
    }
    if (errorCode(err) === 'ERR_MODULE_NOT_FOUND') {
      console.error(`likebox: "${name}" is not built yet: run \`npm run build\` first`);
      process.exitCode = 1;
      return;
    }
  }
  const run = commands?.[name];
  if (typeof run !== 'function') {
    console.error(`likebox: "${name}" is not available yet: it comes with issue #${command.issue}`);
    process.exitCode = 1;
    return;
  }
  await run(argv);
}

await main();
