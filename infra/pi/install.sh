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
# shellcheck source-path=SCRIPTDIR
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

# The steps (packages, Node, user, project, env files, I2C, kiosk, units).
# shellcheck source=install-steps.sh
source "$HERE/infra/pi/install-steps.sh"

main() {
  parse_args "$@"
  ((DRY_RUN)) || [[ $(id -u) -eq 0 ]] || die 'run it as root (sudo), or with --dry-run'
  echo "# LikeBox install: box=$MODE_BOX server=$MODE_SERVER kiosk=$MODE_KIOSK box-id=$BOX_ID event=$EVENT dry-run=$DRY_RUN"
  step_packages
  # A kiosk alone runs a shell script and Chromium: no Node, no build.
  ((MODE_BOX || MODE_SERVER)) && step_node
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
