import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INFRA = join(ROOT, 'infra');
const INSTALL = join(INFRA, 'pi', 'install.sh');
const run = promisify(execFile);

/** Every shell script under infra/. */
function shellScripts(dir = INFRA): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shellScripts(path);
    return entry.name.endsWith('.sh') ? [path] : [];
  });
}

/** The plan of a dry run (stdout), planned against the system image at `root`. */
async function plan(root: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [INSTALL, '--dry-run', '--root', root, ...args]);
  return stdout;
}

/** The files a plan writes: path → content (its indented lines). */
function plannedWrites(text: string): Map<string, string> {
  const writes = new Map<string, string>();
  let path: string | null = null;
  for (const line of text.split('\n')) {
    const write = /^write (\S+) /.exec(line);
    if (write) {
      path = write[1]!;
      writes.set(path, '');
    } else if (path !== null && line.startsWith('    ')) {
      writes.set(path, `${writes.get(path)}${line.slice(4)}\n`);
    } else {
      path = null;
    }
  }
  return writes;
}

/** What a real run of `text` leaves in `root`: its files, its appended lines, its user, Node, the checkout. */
async function applyPlan(root: string, text: string): Promise<void> {
  for (const [path, content] of plannedWrites(text)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  for (const [, file, line] of text.matchAll(/^append (\S+): (.*)$/gm)) {
    await mkdir(dirname(join(root, file!)), { recursive: true });
    await appendFile(join(root, file!), `${line}\n`);
  }
  if (/^\+ useradd .* likebox$/m.test(text)) {
    await mkdir(join(root, 'etc'), { recursive: true });
    await appendFile(
      join(root, 'etc', 'passwd'),
      'likebox:x:998:998::/var/lib/likebox:/usr/sbin/nologin\n',
    );
  }
  await mkdir(join(root, 'usr', 'local', 'bin'), { recursive: true });
  await writeFile(join(root, 'usr', 'local', 'bin', 'node'), '#!/bin/sh\necho v24.11.1\n');
  await chmod(join(root, 'usr', 'local', 'bin', 'node'), 0o755);
  await mkdir(join(root, 'opt', 'likebox', '.git'), { recursive: true });
}

const BOX_KIOSK = ['--box', '--kiosk', '--box-id', 'box-7', '--event', 'devoxx'];

describe('infra shell scripts', () => {
  it('pass shellcheck, every one of them', async () => {
    // Prepare
    const scripts = shellScripts();

    // Act
    const result = await run('shellcheck', [
      '--external-sources',
      '--severity=style',
      ...scripts,
    ]).then(
      () => '',
      (err: { stdout: string }) => err.stdout,
    );

    // Assess
    expect(scripts.map((path) => relative(INFRA, path))).toEqual(
      expect.arrayContaining(['pi/install.sh', 'pi/likebox-kiosk.sh', 'local/compose-check.sh']),
    );
    expect(result).toBe('');
  });
});

describe('infra/pi/install.sh --dry-run', () => {
  it('plans the box and its room display on this Debian machine: user, env file, I2C, units, kiosk', async () => {
    // Prepare
    const root = await tempDir('likebox-pi-root-');

    // Act
    const text = await plan(root, ...BOX_KIOSK, '--mqtt-url', 'mqtt://10.0.0.2:1883');

    // Assess
    expect(text).toMatch(
      /^\+ env DEBIAN_FRONTEND=noninteractive apt-get install .*i2c-tools.* cage chromium mosquitto-clients/m,
    );
    expect(text).toMatch(
      /^\+ curl -fsSLo \S+ https:\/\/nodejs\.org\/dist\/latest-v2[24]\.x\/SHASUMS256\.txt$/m,
    );
    expect(text).toMatch(
      /^\+ useradd --system --user-group --home-dir \/var\/lib\/likebox --shell \/usr\/sbin\/nologin likebox$/m,
    );
    expect(text).toContain(
      "+ sh -c cd '/opt/likebox' && npm ci --no-audit --no-fund && npm prune --omit=dev",
    );
    const box = plannedWrites(text).get('/etc/likebox/box.env') ?? '';
    expect(text).toContain('write /etc/likebox/box.env 0600 root:root');
    expect(box).toMatch(/^LIKEBOX_DEVICE_ID=box-7$/m);
    expect(box).toMatch(/^LIKEBOX_EVENT=devoxx$/m);
    expect(box).toMatch(/^LIKEBOX_MQTT_URL=mqtt:\/\/10\.0\.0\.2:1883$/m);
    expect(box).toMatch(/^LIKEBOX_MQTT_PASSWORD=<openssl rand -base64 24>$/m);
    expect(text).toContain('users add box-7 --role device --event devoxx');
    expect(text).toContain('append /boot/firmware/config.txt: dtparam=i2c_arm=on');
    expect(plannedWrites(text).get('/etc/likebox/kiosk.env')).toMatch(
      /^LIKEBOX_KIOSK_URL=http:\/\/10\.0\.0\.2:8080$/m,
    );
    for (const unit of ['likebox-box.service', 'likebox-kiosk.service']) {
      expect(text).toContain(`/etc/systemd/system/${unit}`);
      expect(text).toContain(`+ systemctl enable --now ${unit}`);
    }
    expect(text).not.toContain('likebox.service');
    expect(await readdir(root)).toEqual([]);
  });

  it('plans the same twice, and after a run keeps every file, the user, Node and the checkout', async () => {
    // Prepare
    const root = await tempDir('likebox-pi-root-');
    const first = await plan(root, ...BOX_KIOSK);
    await applyPlan(root, first);

    // Act
    const again = await plan(root, ...BOX_KIOSK);
    const afterRun = await plan(root, ...BOX_KIOSK);

    // Assess
    expect(await plan(await tempDir('likebox-pi-root-'), ...BOX_KIOSK)).toBe(first);
    expect(afterRun).toBe(again);
    expect(again).toContain('keep /etc/likebox/box.env (exists; delete it to write it anew)');
    expect(again).toContain('keep /etc/likebox/kiosk.env (exists; delete it to write it anew)');
    expect(again).toContain('keep /boot/firmware/config.txt (dtparam=i2c_arm=on)');
    expect(again).toContain('keep user likebox (exists)');
    expect(again).toContain('keep /usr/local/bin/node (v24.11.1)');
    expect(again).toContain('+ git -C /opt/likebox pull --ff-only');
    expect(again).not.toMatch(/^(write|append|\+ useradd|\+ curl)/m);
  });

  it("plans the server with Debian's InfluxDB wired and, on a box too, its account from box.env", async () => {
    // Prepare
    const root = await tempDir('likebox-pi-root-');

    // Act
    const text = await plan(root, '--server', '--box', '--box-id', 'box-1');

    // Assess
    const env = plannedWrites(text).get('/etc/likebox/likebox.env') ?? '';
    expect(env).toMatch(/^LIKEBOX_INFLUX_URL=http:\/\/127\.0\.0\.1:8086$/m);
    expect(env).toMatch(/^LIKEBOX_BIND=0\.0\.0\.0$/m);
    expect(text).toMatch(/apt-get install .* influxdb influxdb-client/);
    expect(text).toContain('+ systemctl enable --now influxdb');
    expect(text).toContain('+ systemctl enable --now likebox.service');
    // The password goes through stdin, never on a command line.
    expect(text).toMatch(
      /LIKEBOX_MQTT_PASSWORD=\/\/p' \/etc\/likebox\/box\.env\) && \{ echo "\$pw" \| .* users add box-1 --role device/,
    );
  });

  it('plans a room display without a box: a fixed room, no Node and no build', async () => {
    // Prepare
    const root = await tempDir('likebox-pi-root-');

    // Act
    const text = await plan(
      root,
      '--kiosk',
      '--room',
      'amphi-a',
      '--web-url',
      'http://10.0.0.2:8080',
    );

    // Assess
    const env = plannedWrites(text).get('/etc/likebox/kiosk.env') ?? '';
    expect(env).toMatch(/^LIKEBOX_ROOM=amphi-a$/m);
    expect(env).toMatch(/^LIKEBOX_KIOSK_URL=http:\/\/10\.0\.0\.2:8080$/m);
    expect(text).not.toMatch(/nodejs\.org|npm ci|write \/etc\/likebox\/box\.env|build-essential/);
    expect(text).toContain('+ systemctl enable --now likebox-kiosk.service');
  });

  it('refuses to run without a mode, or to change a root it only plans against', async () => {
    // Prepare
    const root = await tempDir('likebox-pi-root-');

    // Act
    const noMode = await run('bash', [INSTALL, '--dry-run']).catch(
      (err: { code: number; stderr: string }) => err,
    );
    const rootRun = await run('bash', [INSTALL, '--box', '--root', root]).catch(
      (err: { code: number; stderr: string }) => err,
    );

    // Assess
    expect(noMode).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('say --box, --server and/or --kiosk'),
    });
    expect(rootRun).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--root plans only'),
    });
  });
});

describe('infra systemd units', () => {
  const units = ['systemd/likebox.service', 'pi/likebox-box.service', 'pi/likebox-kiosk.service'];

  it('pass systemd-analyze verify, the box with its raspi drop-in', async () => {
    // Prepare: verify checks that ExecStart's program exists, so it points at this checkout and node.
    const dir = await tempDir('likebox-units-');
    for (const unit of units) {
      const text = readFileSync(join(INFRA, unit), 'utf8')
        .replace(/^ExecStart=\/usr\/local\/bin\/node /m, `ExecStart=${process.execPath} `)
        .replace(/^ExecStart=\/opt\/likebox\//m, `ExecStart=${ROOT}`);
      await writeFile(join(dir, unit.split('/')[1]!), text);
    }
    await mkdir(join(dir, 'likebox-box.service.d'));
    await writeFile(
      join(dir, 'likebox-box.service.d', 'raspi.conf'),
      readFileSync(join(INFRA, 'pi', 'likebox-box.service.d', 'raspi.conf')),
    );

    // Act
    const { stderr } = await run(
      'systemd-analyze',
      ['verify', '--man=no', ...units.map((u) => join(dir, u.split('/')[1]!))],
      {
        cwd: dir,
      },
    );

    // Assess
    expect(stderr.split('\n').filter((line) => line.includes('likebox'))).toEqual([]);
  });

  it('run what install.sh puts in place, and document themselves with files of the checkout', () => {
    // Prepare
    const texts = units.map((unit) => readFileSync(join(INFRA, unit), 'utf8'));

    // Act
    const execs = texts.map((text) => /^ExecStart=(\S+)(?: (\S+))?/m.exec(text)!);
    const docs = texts.map(
      (text) => /^Documentation=file:\/\/\/opt\/likebox\/(\S+)$/m.exec(text)?.[1],
    );

    // Assess
    expect(texts[0]).toMatch(
      /^ExecStart=\/usr\/local\/bin\/node \/opt\/likebox\/server\/bin\/likebox\.js up$/m,
    );
    expect(execs.map((m) => m[1])).toEqual([
      '/usr/local/bin/node',
      '/usr/local/bin/node',
      '/opt/likebox/infra/pi/likebox-kiosk.sh',
    ]);
    const paths = [execs[0]![2], execs[1]![2], execs[2]![1]].map((path) =>
      path!.replace('/opt/likebox/', ''),
    );
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
    expect(docs.filter((path) => path === undefined || !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
