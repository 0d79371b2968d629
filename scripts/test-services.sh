#!/usr/bin/env bash
# Make sure what the test suite needs is here and running: PostgreSQL and Redis on
# 127.0.0.1, Chromium for the browser tests, ffmpeg for the video tests, pango and the
# DejaVu fonts for the PDF report, poppler's pdftoppm to look at it. Starts local
# servers that are installed but stopped; installs Debian packages when run as root;
# otherwise says exactly what to install.
set -uo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 REDIS_PORT=6379
missing=()

port_open() {  # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exec 3>&- 3<&-
}

wait_for() {  # host port seconds
  for _ in $(seq 1 "$3"); do port_open "$1" "$2" && return 0; sleep 1; done
  return 1
}

apt_install() {
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}

# PostgreSQL
if ! port_open $PG_HOST $PG_PORT; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    echo "Starting the local PostgreSQL server..."
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null ||
        pg_ctlcluster "$version" main start 2>/dev/null || true
    done
    wait_for $PG_HOST $PG_PORT 20 || missing+=("PostgreSQL is installed but would not start on $PG_HOST:$PG_PORT (see its log under /var/log/postgresql)")
  else
    missing+=("PostgreSQL server on $PG_HOST:$PG_PORT: install it with 'sudo apt-get install postgresql' (the tests connect as user postgres; trust auth on 127.0.0.1, or set TEST_DATABASE_URL)")
  fi
fi

# Redis
if ! port_open 127.0.0.1 $REDIS_PORT; then
  if command -v redis-server >/dev/null; then
    echo "Starting a local Redis server..."
    mkdir -p /tmp/vida-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port $REDIS_PORT --save "" --appendonly no \
      --dir /tmp/vida-redis --logfile /tmp/vida-redis/redis.log >/dev/null
    wait_for 127.0.0.1 $REDIS_PORT 10 || missing+=("Redis is installed but would not start on 127.0.0.1:$REDIS_PORT (see /tmp/vida-redis/redis.log)")
  else
    missing+=("Redis server on 127.0.0.1:$REDIS_PORT: install it with 'sudo apt-get install redis-server'")
  fi
fi

# Chromium (browser tests), ffmpeg (video tests) and the report's packages, from Debian.
packages=()
command -v chromium >/dev/null || [[ -x /usr/bin/chromium ]] || packages+=(chromium)
command -v ffmpeg >/dev/null || packages+=(ffmpeg)
# The PDF report: WeasyPrint lays it out with pango in the DejaVu fonts; the tests turn
# its pages into PNG with pdftoppm (poppler-utils) for a person to look at.
has_library() { ldconfig -p 2>/dev/null | grep -q "$1"; }
has_library libpangoft2-1.0.so.0 || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || packages+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null || packages+=(poppler-utils)
if ((${#packages[@]})); then
  apt_install "${packages[@]}" ||
    missing+=("Debian packages for the browser, video and report tests: 'sudo apt-get install ${packages[*]}'")
fi

if ((${#missing[@]})); then
  echo >&2
  echo "make test cannot run yet. Missing:" >&2
  for item in "${missing[@]}"; do echo "  - $item" >&2; done
  exit 1
fi
echo "PostgreSQL, Redis, Chromium, ffmpeg, pango and pdftoppm are ready."
