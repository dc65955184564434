#!/usr/bin/env bash
# Chromium and fonts (CJK, emoji) for the browser tests: Debian's packages; Playwright's own download is not used.
set -euo pipefail
has_font() { fc-list 2>/dev/null | grep -i -- "$1" >/dev/null; }
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
has_font "Noto Sans CJK" || need+=(fonts-noto-cjk)
has_font "Noto Color Emoji" || need+=(fonts-noto-color-emoji)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; }
else
  echo "The browser tests need: ${need[*]} (on Debian: sudo apt-get install -y ${need[*]}). They are skipped without it." >&2
fi
