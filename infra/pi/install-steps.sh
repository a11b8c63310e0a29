# shellcheck shell=bash
# The steps of install.sh, sourced by it: each prints its part of the plan and changes the system
# only through install.sh's `run`, `write_new` and `ensure_line`, after looking at what is there.
# shellcheck disable=SC2153,SC2154 # MODE_*, ROOT, HERE, BOX_ID, ... are install.sh's (set by parse_args)
# ---- steps

step_packages() {
  echo '# packages (Debian / Raspberry Pi OS)'
  # build-essential, python3: better-sqlite3 compiles from source when no prebuilt binary is
  # reachable (about 5 minutes on a Pi 4). xz-utils: the Node tarball.
  local packages=(ca-certificates curl git openssl)
  ((MODE_BOX || MODE_SERVER)) && packages+=(xz-utils build-essential python3)
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
  if ((MODE_BOX || MODE_SERVER)); then
    run sh -c "cd '$PREFIX' && npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund"
  fi
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
