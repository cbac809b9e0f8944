#!/usr/bin/env bash
# Debian's packages the tests need: PostgreSQL's server binaries (the store tests start servers of
# their own on loopback, from `initdb`), HAProxy (the load balancer in front of the team-host
# replicas, tests/python/test_team.py) and Chromium (the browser the console's tests drive,
# tests/python/test_console.py). Nothing is started here.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "the tests need Debian's packages: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
