#!/usr/bin/env bash
# Runs infra/compose.yaml for real with podman-compose and checks it end to end (on demand, as
# root, a few minutes; not part of `npm test`):
#   images (infra/local/images.sh) → likebox + influxdb up → healthchecks healthy → containers not
#   root → a vote published to the containerised broker found in the containerised InfluxDB →
#   the `sim` service's command run twice against the same volume, no restart loop → down -v.
# Grafana's image cannot be made from Debian's packages: its service is checked statically
# (server/test/integration/upDeployFiles.test.ts) and left out here.
#   sudo infra/local/compose-check.sh          (LIKEBOX_CHECK_SKIP_IMAGES=1: reuse built images)
# The ports are published on LIKEBOX_PUBLISH_IP (default 127.0.0.77, a loopback address that
# nothing else here listens on) and the project is `likebox-check`: a real stack is not touched.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INFRA=$(cd "$HERE/.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$HERE/containers.conf}
export LIKEBOX_PUBLISH_IP=${LIKEBOX_PUBLISH_IP:-127.0.0.77}
export LIKEBOX_IMAGE=localhost/likebox:local
export LIKEBOX_BOX_IMAGE=localhost/likebox-box:local
export LIKEBOX_INFLUXDB_IMAGE=localhost/likebox-influxdb:local
readonly PROJECT=likebox-check
START=$(date +%s)
COMPOSE=(podman-compose -p "$PROJECT" -f "$INFRA/compose.yaml")

say() { echo "== [$(($(date +%s) - START)) s] $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
container() { echo "${PROJECT}_$1_1"; }
env_value() { sed -n "s/^$2=//p" "$INFRA/env/$1.env"; }

teardown() {
  say 'down -v'
  "${COMPOSE[@]}" down -v >/dev/null 2>&1 || true
}

wait_healthy() {
  local name=$1 limit=$2 since
  since=$(date +%s)
  # podman runs healthchecks from systemd timers; without systemd as init nothing runs them, so
  # they are run here at the compose file's interval pace until one passes.
  until podman healthcheck run "$(container "$name")" >/dev/null 2>&1; do
    (($(date +%s) - since < limit)) || fail "$name not healthy after $limit s"
    sleep 3
  done
  say "$name healthy after $(($(date +%s) - since)) s ($(podman inspect -f '{{.State.Health.Status}}' "$(container "$name")"))"
}

not_root() {
  local name=$1 uid
  uid=$(podman exec "$(container "$name")" id -u)
  [[ $uid != 0 ]] || fail "$name runs as root"
  say "$name runs as uid $uid ($(podman exec "$(container "$name")" id -un))"
}

influx_count() {
  podman exec "$(container influxdb)" influx -username "$(env_value influxdb INFLUXDB_ADMIN_USER)" \
    -password "$(env_value influxdb INFLUXDB_ADMIN_PASSWORD)" -database likebox -format csv \
    -execute "$1" | tail -n +2 | cut -d, -f3
}

vote_round_trip() {
  local password device=check-box
  password=$(openssl rand -hex 16)
  podman exec "$(container likebox)" node /app/server/bin/likebox.js users add "$device" \
    --role device --password "$password" >/dev/null
  local at
  at=$(($(date +%s) * 1000))
  mosquitto_pub -h "$LIKEBOX_PUBLISH_IP" -p 1883 -V mqttv311 -q 1 -i "$device" -u "$device" -P "$password" \
    -t "likebox/v1/demo/devices/$device/vote" -m "{\"seq\":1,\"value\":1,\"at\":$at,\"room\":\"check-room\",\"synced\":true}"
  say "vote published to mqtt://$LIKEBOX_PUBLISH_IP:1883 as $device"
  local tries=0 count=''
  until [[ $count == 1 ]]; do
    count=$(influx_count "SELECT count(value) FROM vote WHERE device = '$device'" 2>/dev/null || true)
    ((++tries < 40)) || fail "the vote never reached InfluxDB (count '$count')"
    sleep 1
  done
  say "vote found in InfluxDB (SELECT count(value) FROM vote WHERE device = '$device' → $count)"
}

# Waits until the sim container's log has a line matching $1 (each `likebox users` call starts Node
# and hashes a password: seconds each on a busy machine).
sim_log() {
  local since
  since=$(date +%s)
  until podman logs "$(container sim)" 2>&1 | grep -qi "$1"; do
    (($(date +%s) - since < 180)) || fail "sim: no '$1' in its log after 180 s"
    sleep 2
  done
}

sim_running() {
  local state
  sleep 10
  state=$(podman inspect -f '{{.State.Status}} exit={{.State.ExitCode}} restarts={{.RestartCount}}' "$(container sim)")
  [[ $state == 'running exit=0 restarts=0' ]] || fail "sim run $1: $state; $(podman logs --tail 5 "$(container sim)" 2>&1)"
  say "sim run $1: $state"
}

sim_twice() {
  "${COMPOSE[@]}" up -d --no-build sim >/dev/null 2>&1
  sim_log 'added sim-6 (device)'
  sim_running 1
  podman restart "$(container sim)" >/dev/null
  sim_log 'password of sim-6 changed'
  say 'sim run 2 found the six accounts of run 1 and set their password again (users passwd)'
  sim_running 2
  local votes
  votes=$(influx_count "SELECT count(value) FROM vote WHERE device =~ /^sim-/")
  [[ ${votes:-0} -gt 0 ]] || fail 'the simulated boxes sent no vote'
  say "simulated votes in InfluxDB: $votes"
}

main() {
  [[ $(id -u) == 0 ]] || fail 'run it as root (podman, debootstrap)'
  trap teardown EXIT
  [[ ${LIKEBOX_CHECK_SKIP_IMAGES:-0} == 1 ]] || "$HERE/images.sh"
  say 'images ready'
  sh "$INFRA/env/generate.sh" >/dev/null
  "${COMPOSE[@]}" down -v >/dev/null 2>&1 || true
  "${COMPOSE[@]}" up -d --no-build influxdb likebox >/dev/null 2>&1
  say 'compose up -d influxdb likebox'
  wait_healthy influxdb 60
  wait_healthy likebox 120
  not_root influxdb
  not_root likebox
  vote_round_trip
  sim_twice
  not_root sim
  say 'compose check passed'
}

main "$@"
