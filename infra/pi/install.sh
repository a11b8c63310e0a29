#!/usr/bin/env bash
# Sets a Raspberry Pi (Raspberry Pi OS Bookworm, arm64 or armhf) or any Debian 12 machine up as a
# LikeBox box, an event server, a room display (kiosk) on the HDMI output, or several of them.
#
#   sudo infra/pi/install.sh --box --box-id box-1 --mqtt-url mqtt://likebox.local:1883
#   sudo infra/pi/install.sh --box --kiosk          # a box that also shows its room on its HDMI output
#   sudo infra/pi/install.sh --server               # the event server (likebox up + Debian's InfluxDB)
#   infra/pi/install.sh --box --kiosk --dry-run     # print every command and file, change nothing
#
# Re-runnable: every step looks before it acts. Existing env files are kept (their passwords too),
# the user is created once, Node is installed only when missing or too old, the code is updated in
# place (git pull --ff-only) and rebuilt, units are re-copied and re-enabled.
set -euo pipefail
# Node from the official tarball lives in /usr/local (step_node); the units run /usr/local/bin/node.
export PATH=/usr/local/bin:$PATH

# The checkout (or release tree) holding this script: the templates and units come from it.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly HERE
readonly PREFIX=/opt/likebox
readonly SERVICE_USER=likebox
readonly NODE_MAJOR_64=24
# Node 24 ships no official 32-bit ARM (armv7l) build (nodejs/node#58071): a 32-bit Raspberry Pi OS
# gets Node 22, the last official line for it (the project supports 22.12+). Prefer the 64-bit OS.
readonly NODE_MAJOR_ARMHF=22

MODE_BOX=0
MODE_SERVER=0
MODE_KIOSK=0
DRY_RUN=0
ROOT=''
BOX_ID=''
EVENT=demo
MQTT_URL=mqtt://likebox.local:1883
WEB_URL=''
ROOM=''
IO=firmata
SOURCE=''

usage() {
  cat <<'EOF'
usage: install.sh [--box] [--server] [--kiosk] [options]
  --box              the box: likebox device (buttons, LCD over I2C, LED), unit likebox-box
  --server           the event server: likebox up + Debian's InfluxDB, unit likebox
  --kiosk            the box's room display full-screen on HDMI (cage + Chromium), unit likebox-kiosk
  --box-id ID        the box's device id (default: the host name)
  --event SLUG       the event slug (default: demo)
  --mqtt-url URL     the event server's broker, for --box and --kiosk (default: mqtt://likebox.local:1883)
  --web-url URL      the live page, for --kiosk (default: http://<broker host>:8080)
  --room SLUG        the room until the organisers assign one (box), or the fixed room of a kiosk
  --io firmata|raspi the box's hardware path (default: firmata, an Arduino over USB)
  --source DIR|URL   a git checkout or URL, or a release .tar.gz, to install into /opt/likebox
                     (default: the checkout holding this script)
  --dry-run          print the plan (every command and file) and change nothing
  --root DIR         with --dry-run: plan against the system image at DIR instead of /
EOF
}

die() {
  echo "install.sh: $*" >&2
  exit 2
}

parse_args() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
    --box) MODE_BOX=1 ;;
    --server) MODE_SERVER=1 ;;
    --kiosk) MODE_KIOSK=1 ;;
    --dry-run) DRY_RUN=1 ;;
    --box-id) BOX_ID=${2:?--box-id needs a value} && shift ;;
    --event) EVENT=${2:?--event needs a value} && shift ;;
    --mqtt-url) MQTT_URL=${2:?--mqtt-url needs a value} && shift ;;
    --web-url) WEB_URL=${2:?--web-url needs a value} && shift ;;
    --room) ROOM=${2:?--room needs a value} && shift ;;
    --io) IO=${2:?--io needs a value} && shift ;;
    --source) SOURCE=${2:?--source needs a value} && shift ;;
    --root) ROOT=${2:?--root needs a value} && shift ;;
    -h | --help) usage && exit 0 ;;
    *) usage >&2 && die "unknown argument: $1" ;;
    esac
    shift
  done
  ((MODE_BOX + MODE_SERVER + MODE_KIOSK > 0)) || { usage >&2 && die 'say --box, --server and/or --kiosk'; }
  [[ -z $ROOT || $DRY_RUN -eq 1 ]] || die '--root plans only: use it with --dry-run'
  [[ $IO == firmata || $IO == raspi ]] || die "--io is firmata or raspi, not $IO"
  local slug='^[a-z0-9][a-z0-9-]{0,62}$'
  [[ -n $BOX_ID ]] || BOX_ID=$(hostname | tr '[:upper:]' '[:lower:]')
  [[ $BOX_ID =~ $slug ]] || die "the box id must be a slug ([a-z0-9-]): $BOX_ID"
  [[ $EVENT =~ $slug ]] || die "the event must be a slug: $EVENT"
  [[ -z $ROOM || $ROOM =~ $slug ]] || die "the room must be a slug: $ROOM"
  [[ -n $SOURCE ]] || SOURCE=$HERE
  if [[ -z $WEB_URL ]]; then
    local host=${MQTT_URL#*://}
    host=${host%%[:/]*}
    WEB_URL="http://$host:8080"
  fi
}

# ---- the two primitives: every change goes through one of them, so --dry-run prints all of them.

# Runs a command, or prints it as `+ command` in a dry run.
run() {
  echo "+ $*"
  ((DRY_RUN)) || "$@"
}

# Writes stdin to a file (mode, owner) unless it exists; prints `write PATH MODE` and the content
# indented in a dry run, `keep PATH (exists)` when the file is already there.
write_new() {
  local path=$1 mode=$2 owner=${3:-root:root}
  if [[ -e $ROOT$path ]]; then
    echo "keep $path (exists; delete it to write it anew)"
    cat >/dev/null
    return
  fi
  write_file "$path" "$mode" "$owner"
}

# Writes stdin to a file (mode, owner), replacing it.
write_file() {
  local path=$1 mode=$2 owner=${3:-root:root}
  echo "write $path $mode $owner"
  if ((DRY_RUN)); then
    sed 's/^/    /'
    return
  fi
  install -d -m 0755 "$(dirname "$path")"
  local tmp
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  mv "$tmp" "$path"
}

# A strong password: 24 random bytes, URL-safe base64 (nothing to quote in an env file or a URL).
# A dry run shows how it is made instead of making one, so two dry runs print the same plan.
secret() {
  if ((DRY_RUN)); then
    echo '<openssl rand -base64 24>'
  else
    openssl rand -base64 24 | tr '+/' '-_' | tr -d '=\n'
  fi
}

user_exists() {
  grep -q "^$1:" "$ROOT/etc/passwd" 2>/dev/null
}

group_exists() {
  grep -q "^$1:" "$ROOT/etc/group" 2>/dev/null
}

# ---- steps

step_packages() {
  echo '# packages (Debian / Raspberry Pi OS)'
  # build-essential, python3: better-sqlite3 compiles from source when no prebuilt binary is
  # reachable (about 5 minutes on a Pi 4). xz-utils: the Node tarball.
  local packages=(ca-certificates curl xz-utils git openssl build-essential python3)
  ((MODE_BOX)) && packages+=(i2c-tools)
  ((MODE_BOX)) && [[ $IO == raspi ]] && packages+=(pigpio)
  ((MODE_SERVER)) && packages+=(influxdb influxdb-client)
  ((MODE_KIOSK)) && packages+=(cage chromium mosquitto-clients fonts-dejavu-core)
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
}

node_major_wanted() {
  case "$(uname -m)" in
  armv7l | armv6l) echo "$NODE_MAJOR_ARMHF" ;;
  *) echo "$NODE_MAJOR_64" ;;
  esac
}

node_arch() {
  case "$(uname -m)" in
  aarch64 | arm64) echo arm64 ;;
  armv7l | armv6l) echo armv7l ;;
  x86_64) echo x64 ;;
  *) die "no official Node build for $(uname -m)" ;;
  esac
}

# Node from the official tarball into /usr/local (the units run /usr/local/bin/node): one source for
# arm64, armhf and x64, checked against the release's SHASUMS256.txt, no third-party apt repository
# (NodeSource stopped updating 32-bit ARM packages of Node 22 mid-line, and has no 24 for it).
step_node() {
  echo '# Node.js'
  local major have=''
  major=$(node_major_wanted)
  if [[ -x $ROOT/usr/local/bin/node ]]; then
    have=$("$ROOT/usr/local/bin/node" --version 2>/dev/null || true)
  fi
  if [[ $have =~ ^v([0-9]+)\. ]] && ((BASH_REMATCH[1] >= major)); then
    echo "keep /usr/local/bin/node ($have)"
    return
  fi
  local arch base tmp
  arch=$(node_arch)
  base="https://nodejs.org/dist/latest-v$major.x"
  tmp=/var/tmp/likebox-node
  run install -d -m 0700 "$tmp"
  run curl -fsSLo "$tmp/SHASUMS256.txt" "$base/SHASUMS256.txt"
  run sh -c "cd '$tmp' && f=\$(grep -o 'node-v[0-9.]*-linux-$arch.tar.xz' SHASUMS256.txt) && curl -fsSLO '$base/'\$f && grep \" \$f\$\" SHASUMS256.txt | sha256sum -c - && tar -xJf \$f -C /usr/local --strip-components=1 --no-same-owner --exclude=CHANGELOG.md --exclude=README.md --exclude=LICENSE"
  run rm -rf "$tmp"
}

step_user() {
  echo "# service user $SERVICE_USER"
  if user_exists "$SERVICE_USER"; then
    echo "keep user $SERVICE_USER (exists)"
  else
    run useradd --system --user-group --home-dir /var/lib/likebox --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  # dialout: the Arduino (firmata); i2c, gpio: the LCD and pins on a Pi; video, render, input: the kiosk.
  local groups=() group
  ((MODE_BOX)) && groups+=(dialout i2c gpio)
  ((MODE_KIOSK)) && groups+=(video render input)
  for group in "${groups[@]}"; do
    if group_exists "$group"; then
      run usermod -aG "$group" "$SERVICE_USER"
    fi
  done
}

step_project() {
  echo "# the project in $PREFIX"
  if [[ -d $ROOT$PREFIX/.git ]]; then
    run git -C "$PREFIX" pull --ff-only
  elif [[ -e $ROOT$PREFIX/package.json ]]; then
    echo "keep $PREFIX (a copy, not a checkout: update it yourself)"
  elif [[ $SOURCE == *.tar.gz ]]; then
    run install -d -m 0755 "$PREFIX"
    run tar -xzf "$SOURCE" -C "$PREFIX" --strip-components=1 --no-same-owner
  else
    run git clone "$SOURCE" "$PREFIX"
  fi
  # `npm ci` installs every dependency and builds (the root `prepare` script: TypeScript and the live
  # page's bundle), then the dev dependencies go. The code stays root's; the services only read it.
  run sh -c "cd '$PREFIX' && npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund"
}

box_env() {
  local password=$1
  sed -e "s|^LIKEBOX_EVENT=.*|LIKEBOX_EVENT=$EVENT|" \
    -e "s|^LIKEBOX_DEVICE_ID=.*|LIKEBOX_DEVICE_ID=$BOX_ID|" \
    -e "s|^LIKEBOX_MQTT_URL=.*|LIKEBOX_MQTT_URL=$MQTT_URL|" \
    -e "s|^LIKEBOX_MQTT_PASSWORD=.*|LIKEBOX_MQTT_PASSWORD=$password|" \
    -e "s|^LIKEBOX_IO=.*|LIKEBOX_IO=$IO|" \
    "$HERE/infra/pi/box.env.example"
  [[ -z $ROOM ]] || echo "LIKEBOX_ROOM=$ROOM"
}

step_box_env() {
  echo '# the box: /etc/likebox/box.env (root only: it holds the box password)'
  box_env "$(secret)" | write_new /etc/likebox/box.env 0600
  if ((!MODE_SERVER)); then
    echo "# on the event server, create the box account with the password of /etc/likebox/box.env:"
    echo "#   sudo -u $SERVICE_USER LIKEBOX_DATA_DIR=/var/lib/likebox node $PREFIX/server/bin/likebox.js users add $BOX_ID --role device --event $EVENT"
  fi
}

server_env() {
  cat <<ENV
# /etc/likebox/likebox.env: the event server (likebox up). Every variable is also a flag of \`likebox up --help\`.
LIKEBOX_EVENT=$EVENT
# The boxes, phones and TVs of the event LAN must reach the broker and the live page.
LIKEBOX_BIND=0.0.0.0
# Debian's InfluxDB (package influxdb, auth off, loopback): up writes to it instead of starting a private influxd.
LIKEBOX_INFLUX_URL=http://127.0.0.1:8086
LIKEBOX_INFLUX_DATABASE=likebox
# The programme: a file the likebox user can read (normalised JSON, BreizhCamp, frab, pretalx or Sessionize).
# LIKEBOX_SCHEDULE_FILE=/var/lib/likebox/schedule.json
LIKEBOX_ALLOW_ANONYMOUS=false
ENV
}

step_server_env() {
  echo '# the event server: /etc/likebox/likebox.env'
  server_env | write_new /etc/likebox/likebox.env 0600
  # Debian's influxdb listens on every address by default: loopback only, as up expects.
  local conf=/etc/influxdb/influxdb.conf
  if [[ -e $ROOT$conf ]] && ! grep -q '^ *bind-address *= *"127.0.0.1:8086"' "$ROOT$conf"; then
    run sed -i 's|^\( *\)# *bind-address = ":8086"|\1bind-address = "127.0.0.1:8086"|' "$conf"
  fi
  run systemctl enable --now influxdb
}

# On a machine that is both the server and a box, the box's account is created here, with the
# password of box.env (read from stdin: never on a command line).
step_register_box() {
  echo "# the box account $BOX_ID on this server"
  run install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" /var/lib/likebox
  # `users add` refuses an existing user: then `users passwd` sets box.env's password again, so a
  # re-run leaves the account and the box agreeing.
  local users="runuser -u $SERVICE_USER -- env LIKEBOX_DATA_DIR=/var/lib/likebox /usr/local/bin/node $PREFIX/server/bin/likebox.js users"
  run sh -c "pw=\$(sed -n 's/^LIKEBOX_MQTT_PASSWORD=//p' /etc/likebox/box.env) && { echo \"\$pw\" | $users add $BOX_ID --role device --event $EVENT || echo \"\$pw\" | $users passwd $BOX_ID; }"
}

install_unit() {
  local source=$1 name
  name=$(basename "$source")
  # The unit is copied (never linked into the checkout): `git pull` cannot change what runs as root.
  run install -D -m 0644 "$HERE/$source" "/etc/systemd/system/$name"
}

step_units() {
  echo '# systemd units'
  ((MODE_SERVER)) && install_unit infra/systemd/likebox.service
  ((MODE_BOX)) && install_unit infra/pi/likebox-box.service
  if ((MODE_BOX)) && [[ $IO == raspi ]]; then
    run install -D -m 0644 "$HERE/infra/pi/likebox-box.service.d/raspi.conf" /etc/systemd/system/likebox-box.service.d/raspi.conf
  fi
  ((MODE_KIOSK)) && install_unit infra/pi/likebox-kiosk.service
  run systemctl daemon-reload
  ((MODE_SERVER)) && run systemctl enable --now likebox.service
  ((MODE_BOX)) && run systemctl enable --now likebox-box.service
  ((MODE_KIOSK)) && run systemctl enable --now likebox-kiosk.service
  return 0
}

# A line in a file, appended once.
ensure_line() {
  local file=$1 line=$2
  if grep -qxF "$line" "$ROOT$file" 2>/dev/null; then
    echo "keep $file ($line)"
  else
    echo "append $file: $line"
    ((DRY_RUN)) || echo "$line" >>"$file"
  fi
}

boot_config() {
  if [[ -e $ROOT/boot/firmware/config.txt || ! -e $ROOT/boot/config.txt ]]; then
    echo /boot/firmware/config.txt
  else
    echo /boot/config.txt
  fi
}

step_i2c() {
  echo '# I2C for the LCD (PCF8574 backpack)'
  if [[ -z $ROOT ]] && command -v raspi-config >/dev/null; then
    run raspi-config nonint do_i2c 0
  else
    # Without raspi-config (another Debian, an image being prepared): what do_i2c 0 does.
    ensure_line "$(boot_config)" 'dtparam=i2c_arm=on'
    ensure_line /etc/modules-load.d/likebox-i2c.conf 'i2c-dev'
  fi
}

step_kiosk() {
  echo '# the room display on HDMI: /etc/likebox/kiosk.env'
  {
    echo '# /etc/likebox/kiosk.env: the room display (likebox-kiosk.service, infra/pi/likebox-kiosk.sh).'
    echo "# The live page; the room comes from the box's retained config (box.env's account), else LIKEBOX_ROOM."
    echo "LIKEBOX_KIOSK_URL=$WEB_URL"
    if ((!MODE_BOX)); then
      echo '# No box on this machine: the room shown (empty: every room).'
      echo "LIKEBOX_ROOM=$ROOM"
    fi
  } | write_new /etc/likebox/kiosk.env 0644
  # Screen blanking off: cage never blanks by itself; the console must not either, before cage starts.
  if [[ -z $ROOT ]] && command -v raspi-config >/dev/null; then
    run raspi-config nonint do_blanking 1
  fi
  local cmdline=/boot/firmware/cmdline.txt
  [[ $(boot_config) == /boot/config.txt ]] && cmdline=/boot/cmdline.txt
  if [[ -e $ROOT$cmdline ]] && ! grep -q 'consoleblank=0' "$ROOT$cmdline"; then
    run sed -i '1s/$/ consoleblank=0/' "$cmdline"
  fi
  return 0
}

main() {
  parse_args "$@"
  ((DRY_RUN)) || [[ $(id -u) -eq 0 ]] || die 'run it as root (sudo), or with --dry-run'
  echo "# LikeBox install: box=$MODE_BOX server=$MODE_SERVER kiosk=$MODE_KIOSK box-id=$BOX_ID event=$EVENT dry-run=$DRY_RUN"
  step_packages
  step_node
  step_user
  step_project
  ((MODE_SERVER)) && step_server_env
  ((MODE_BOX)) && step_box_env
  ((MODE_BOX && MODE_SERVER)) && step_register_box
  ((MODE_BOX)) && step_i2c
  ((MODE_KIOSK)) && step_kiosk
  step_units
  echo '# done'
}

main "$@"
