#!/usr/bin/env bash
# The development site with its search worker beside it; Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
.venv/bin/python manage.py search_worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "$host:$port"
