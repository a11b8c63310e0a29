#!/bin/sh
# Writes likebox.env, influxdb.env, grafana.env and sim.env next to this script from their *.env.example
# templates, with fresh random passwords (the same one where two services must agree), mode 0600.
# Existing .env files are kept: delete one to regenerate it (and then every file sharing its secrets).
set -eu
cd "$(dirname "$0")"
umask 077

secret() {
  # 24 random bytes, URL-safe base64: no character that needs quoting in an env file or a URL.
  head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

writer=$(secret)
reader=$(secret)
admin=$(secret)
grafana_admin=$(secret)
sim=$(secret)

render() {
  # $1 = target file; reads the template on stdin, fills the empty password lines.
  if [ -e "$1" ]; then
    echo "keep $1 (exists)"
    return
  fi
  sed \
    -e "s|^LIKEBOX_INFLUX_PASSWORD=\$|LIKEBOX_INFLUX_PASSWORD=$writer|" \
    -e "s|^INFLUXDB_USER_PASSWORD=\$|INFLUXDB_USER_PASSWORD=$writer|" \
    -e "s|^INFLUXDB_READ_USER_PASSWORD=\$|INFLUXDB_READ_USER_PASSWORD=$reader|" \
    -e "s|^INFLUXDB_ADMIN_PASSWORD=\$|INFLUXDB_ADMIN_PASSWORD=$admin|" \
    -e "s|^GF_SECURITY_ADMIN_PASSWORD=\$|GF_SECURITY_ADMIN_PASSWORD=$grafana_admin|" \
    -e "s|^LIKEBOX_MQTT_PASSWORD=\$|LIKEBOX_MQTT_PASSWORD=$sim|" \
    >"$1"
  echo "wrote $1"
}

render likebox.env <likebox.env.example
render influxdb.env <influxdb.env.example
render grafana.env <grafana.env.example
render sim.env <sim.env.example
