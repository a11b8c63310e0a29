#!/usr/bin/env node
// @ts-check
/**
 * `likebox <command>`: one entry point that dispatches to the workspaces (ARCHITECTURE.md).
 * Each workspace that implements commands exports `./cli` with `commands`, the commands it defines
 * with `defineCommand` (@likebox/runtime): each reads its flags, variables and `.env`, and runs.
 */
import { readFileSync } from 'node:fs';
import { quietPacketDebug } from '@likebox/runtime/quiet-debug';

// First, before any workspace loads mqtt-packet: its disabled debug loggers become free.
quietPacketDebug();

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
  results: {
    summary: "the event's results: enter headcounts (figures on the HTTP API /api/v1/)",
    module: '@likebox/ingest/cli',
    issue: 16,
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
    'Configuration comes from LIKEBOX_* environment variables, also read from ./.env, or the',
    'matching --flags (see .env.example).',
  ].join('\n');
}

/** @param {unknown} err */
function errorCode(err) {
  return err instanceof Error && 'code' in err ? err.code : undefined;
}

/**
 * The commands a workspace's `./cli` defines, or null when the workspace is not built (or not
 * installed: the server image has no box code).
 * @param {string} module
 * @returns {Promise<readonly import('@likebox/runtime').Command[] | null>}
 */
async function commandsOf(module) {
  try {
    return (await import(module)).commands;
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return null;
    throw err;
  }
}

/**
 * Why a command's module could not be loaded: its workspace is not installed here (the server
 * image has no box code: `import.meta.resolve` fails for a package that is absent, and succeeds
 * for one that is installed but not built), or it is not built yet.
 * @param {string} name
 * @param {string} module
 */
function unavailable(name, module) {
  try {
    import.meta.resolve(module);
  } catch {
    const workspace = module.replace(/\/cli$/, '');
    return `"${name}" is not installed here (${workspace} is missing: the server image leaves out the box code; use the box image, or a full checkout)`;
  }
  return `"${name}" is not built yet: run \`npm run build\` first`;
}

/**
 * Every variable some command reads, so that a command warns only about LIKEBOX_* variables no
 * command knows (a shared .env holds every command's). Called only when the environment has
 * variables the running command does not read.
 */
async function knownVariables() {
  const modules = [...new Set(Object.values(COMMANDS).map(({ module }) => module))];
  const all = await Promise.all(modules.map(commandsOf));
  return all.flatMap((commands) => (commands ?? []).flatMap((command) => command.variables));
}

async function main() {
  const [name, ...argv] = process.argv.slice(2);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    process.stderr.write(`likebox: unknown command "${name}"\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  const commands = await commandsOf(entry.module);
  if (commands === null) {
    process.stderr.write(`likebox: ${unavailable(name, entry.module)}\n`);
    process.exitCode = 1;
    return;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    process.stderr.write(
      `likebox: "${name}" is not available yet: it comes with issue #${entry.issue}\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.exitCode = await command.main(argv, { knownVariables });
}

await main();
