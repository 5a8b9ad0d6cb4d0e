#!/usr/bin/env bash
# Installs the system packages Tccg needs, when missing (Debian/Ubuntu):
#   ffmpeg/ffprobe (download checks and rendering), fonts for the streamer-name overlay
#   (DejaVu for Latin, Noto CJK for Chinese/Japanese/Korean, Noto Color Emoji),
#   and, with --test, MariaDB (storage tests), Chromium (browser tests) and nginx (the proxy test);
#   with --mariadb, the MariaDB client that `tccg backup`/`restore` run for a MariaDB database.
set -euo pipefail
want=(ffmpeg fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji fontconfig)
test=0
for arg in "$@"; do
  case "$arg" in
    --mariadb) want+=(mariadb-client) ;; # mariadb-dump and mariadb for backups of a MariaDB database
    --test) test=1 ;;
    *) echo "usage: $0 [--test] [--mariadb]" >&2; exit 2 ;;
  esac
done
if [ "$test" = 1 ]; then
  want+=(mariadb-server mariadb-client chromium)
  want+=(nginx openssl) # the reverse-proxy test (tests/Tccg.Editor.Tests/ProxyTests.cs)
  want+=(caddy) # deploy/Caddyfile run in front of the server (tests/Tccg.Editor.Tests/CaddyTests.cs)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
