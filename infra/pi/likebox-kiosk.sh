#!/usr/bin/env bash
# The room display of a box, full-screen on its HDMI output (likebox-kiosk.service). It shows
# ${LIKEBOX_KIOSK_URL}/rooms/ROOM for the room the organisers assign to the box, and follows it:
#   1. the room is the box's retained config (likebox/v1/EVENT/devices/DEVICE/config, `{"room": …}`),
#      read with the box's own account (a device may subscribe to its own config), else LIKEBOX_ROOM,
#      else every room (`/`);
#   2. the browser starts on that room's page; the launcher stays subscribed to the config and
#      restarts the browser on the new room's page when the organisers move the box;
#   3. when the browser exits (a crash), the launcher exits 1 and systemd starts it again.
# The browser starts once the live page answers (curl), so a box that boots before its Wi-Fi does
# not keep an error page on screen.
# The live page has no route that follows a box: its browser code reads public topics only, and a
# box's config is not public.
#
# Variables (from /etc/likebox/box.env and /etc/likebox/kiosk.env):
#   LIKEBOX_KIOSK_URL       the live page, e.g. http://likebox.local:8080 (required)
#   LIKEBOX_EVENT, LIKEBOX_DEVICE_ID, LIKEBOX_MQTT_URL, LIKEBOX_MQTT_PASSWORD
#                           the box's account; without a device id or password, no MQTT: LIKEBOX_ROOM only
#   LIKEBOX_MQTT_CA         CA file for an mqtts:// broker (default: the system's CAs)
#   LIKEBOX_ROOM            the room until (or without) an assignment
#   LIKEBOX_KIOSK_BROWSER   the browser command, the URL appended (default: cage running Chromium in
#                           kiosk mode; tests pass a headless Chromium)
set -euo pipefail

readonly DEFAULT_BROWSER='cage -d -- chromium --kiosk --noerrdialogs --disable-infobars --no-first-run --disable-session-crashed-bubble --disable-features=Translate --password-store=basic --ozone-platform=wayland'
readonly SLUG='^[a-z0-9][a-z0-9-]{0,62}$'

BASE=${LIKEBOX_KIOSK_URL:?LIKEBOX_KIOSK_URL: the live page, e.g. http://likebox.local:8080}
BASE=${BASE%/}
FALLBACK=${LIKEBOX_ROOM:-}
read -ra BROWSER <<<"${LIKEBOX_KIOSK_BROWSER:-$DEFAULT_BROWSER}"
BROWSER_PID=''
WATCH_PID=''
WATCH_FD=''
SUB=()
TOPIC=''
PRIVATE=''

log() {
  echo "likebox-kiosk: $*" >&2
}

# The room of a config payload, or nothing. A slug holds no quote or backslash, so this match is
# exact for the `room` key of the config's flat JSON object (`roomName` does not match `"room"`).
room_of() {
  local re='"room"[[:space:]]*:[[:space:]]*"([a-z0-9][a-z0-9-]{0,62})"'
  if [[ $1 =~ $re ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

url_of() {
  if [[ -n $1 ]]; then echo "$BASE/rooms/$1"; else echo "$BASE/"; fi
}

# mosquitto_sub's arguments for the box's account. The password goes into mosquitto_sub's own
# option file ($XDG_CONFIG_HOME/mosquitto_sub, in a private folder), never on a command line.
setup_mqtt() {
  local device=${LIKEBOX_DEVICE_ID:-} password=${LIKEBOX_MQTT_PASSWORD:-}
  local url=${LIKEBOX_MQTT_URL:-mqtt://127.0.0.1:1883}
  [[ -n $device && -n $password ]] || return 1
  local re='^(mqtts?)://([^:/]+)(:([0-9]+))?/?$'
  [[ $url =~ $re ]] || {
    log "LIKEBOX_MQTT_URL is not mqtt(s)://host[:port]: $url"
    return 1
  }
  local scheme=${BASH_REMATCH[1]} host=${BASH_REMATCH[2]} port=${BASH_REMATCH[4]}
  [[ -n $port ]] || { [[ $scheme == mqtts ]] && port=8883 || port=1883; }
  PRIVATE=$(mktemp -d)
  printf -- '-P %s\n' "$password" >"$PRIVATE/mosquitto_sub"
  SUB=(-h "$host" -p "$port" -u "$device" -i "$device-kiosk-$$" -q 1 -V mqttv311)
  if [[ $scheme == mqtts ]]; then
    SUB+=(--cafile "${LIKEBOX_MQTT_CA:-/etc/ssl/certs/ca-certificates.crt}")
  fi
  TOPIC="likebox/v1/${LIKEBOX_EVENT:-demo}/devices/$device/config"
}

sub() {
  XDG_CONFIG_HOME=$PRIVATE mosquitto_sub "${SUB[@]}" -t "$TOPIC" "$@"
}

# The assigned room now: the retained config, waited for 5 s (none retained: the fallback).
current_room() {
  local payload room=''
  if payload=$(sub -C 1 -W 5 2>/dev/null); then
    room=$(room_of "$payload")
  else
    log "no room assignment read from $TOPIC"
  fi
  echo "${room:-$FALLBACK}"
}

# Chromium shows an error page for good when the server is not reachable yet (a box that boots
# before the Wi-Fi): wait until the live page answers at all.
wait_for_page() {
  local waited=0
  until curl -s -o /dev/null --max-time 3 "$1"; do
    ((waited++)) || log "waiting for $1"
    sleep 2
  done
}

start_browser() {
  local url
  url=$(url_of "$1")
  wait_for_page "$url"
  log "showing $url"
  "${BROWSER[@]}" "$url" &
  BROWSER_PID=$!
}

stop_browser() {
  [[ -n $BROWSER_PID ]] || return 0
  kill "$BROWSER_PID" 2>/dev/null || true
  wait "$BROWSER_PID" 2>/dev/null || true
  BROWSER_PID=''
}

start_watch() {
  # exec: the process substitution's pid is mosquitto_sub's own, so stop_watch ends it.
  exec {WATCH_FD}< <(exec env XDG_CONFIG_HOME="$PRIVATE" mosquitto_sub "${SUB[@]}" -t "$TOPIC" 2>/dev/null)
  WATCH_PID=$!
}

stop_watch() {
  [[ -n $WATCH_PID ]] || return 0
  kill "$WATCH_PID" 2>/dev/null || true
  exec {WATCH_FD}<&-
  WATCH_PID=''
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  stop_browser
  stop_watch
  [[ -z $PRIVATE ]] || rm -rf "$PRIVATE"
}

# Follows the config while the browser runs; returns when the browser has exited.
follow() {
  local room=$1 payload next
  start_watch
  while kill -0 "$BROWSER_PID" 2>/dev/null; do
    if IFS= read -r -t 5 -u "$WATCH_FD" payload; then
      next=$(room_of "$payload")
      next=${next:-$FALLBACK}
      if [[ $next != "$room" ]]; then
        log "room $next assigned (was ${room:-none})"
        room=$next
        stop_browser
        start_browser "$room"
      fi
    elif (($? <= 128)); then
      # mosquitto_sub ended (broker unreachable or gone): subscribe again a little later.
      stop_watch
      sleep 5
      start_watch
    fi
  done
}

main() {
  trap cleanup EXIT
  trap 'exit 0' TERM INT
  [[ -z $FALLBACK || $FALLBACK =~ $SLUG ]] || FALLBACK=''
  local room=$FALLBACK
  if setup_mqtt; then
    room=$(current_room)
    start_browser "$room"
    follow "$room"
  else
    log "no box account (LIKEBOX_DEVICE_ID, LIKEBOX_MQTT_PASSWORD): showing ${room:-every room}"
    start_browser "$room"
    wait "$BROWSER_PID" || true
  fi
  log 'the browser exited'
  exit 1
}

main "$@"
