#!/usr/bin/env bash
# Nightly backup for systemd (deploy/systemd/kb-backup.service); keeps the last 14 archives.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-/var/backups/kb}
.venv/bin/python scripts/backup.py backup "$dest"
ls -1t "$dest"/kb-*.tar.gz 2>/dev/null | tail -n +15 | xargs -r rm -f
