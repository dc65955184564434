#!/usr/bin/env bash
# What `make bench` needs beyond the Python environment: nginx (Debian's) for the load benchmark's
# two-app-server part (docs/reliability.md §7). Installed but not started: the benchmark runs its own.
set -euo pipefail
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing nginx for the load benchmark…"
  export DEBIAN_FRONTEND=noninteractive RUNLEVEL=1  # RUNLEVEL=1: the package does not start its service
  apt-get install -y -qq nginx >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
else
  echo "The load benchmark's two-server part needs nginx (on Debian: sudo apt-get install -y nginx)." >&2
fi
