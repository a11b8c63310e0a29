#!/bin/sh
# The production node_modules of the named workspaces and of the workspaces they depend on, and
# nothing else: no devDependencies, no optional dependencies, no other workspace.
#   sh prod-modules.sh @likebox/server [@likebox/device ...]
# Run it in a folder holding package.json, package-lock.json and the package.json of every
# workspace to install (infra/Dockerfile copies exactly those). It edits those manifests: run it on
# a copy, never in a checkout.
#
# Why the manifests are edited first (npm 11): `npm ci --workspace X` installs every workspace that
# X reaches through any dependency field, devDependencies and peerDependencies included, and
# --omit=dev does not drop such a workspace (npm marks packages dev, and a workspace is always a
# non-dev part of the tree). When the server's tests used the box code (a devDependency on
# @likebox/device), the server image got Johnny-Five and serialport that way. Without
# devDependencies and peerDependencies, the manifests describe the production graph only, however
# the tests' dependencies change.
#
# --omit=optional: raspi-io (the box's Pi GPIO, ARM only) and vitest (an optional peer of the test
# helpers) have no place in an image.
# --ignore-scripts: the root `prepare` builds from sources, which are not here; the one native
# module the images run, better-sqlite3, is compiled afterwards with `npm rebuild better-sqlite3`.
set -eu
[ "$#" -gt 0 ] || { echo "usage: sh prod-modules.sh @likebox/<workspace>..." >&2; exit 2; }
npm pkg delete devDependencies peerDependencies peerDependenciesMeta --workspaces
workspaces=''
for ws in "$@"; do workspaces="$workspaces --workspace=$ws"; done
# shellcheck disable=SC2086 # one word per workspace: package names hold no spaces
npm ci --omit=dev --omit=optional --include-workspace-root=false --ignore-scripts \
  --no-audit --no-fund $workspaces
