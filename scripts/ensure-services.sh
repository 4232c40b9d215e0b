#!/usr/bin/env bash
# Makes sure the backing services the tests and `npm start` need on one machine are up:
# PostgreSQL, Redis and NATS with JetStream. Starts any that is down with the machine's own
# packages; where a URL in the environment points elsewhere, that service is left alone.
set -uo pipefail

log() { printf 'ensure-services: %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

ensure() { # name port start-command...
  local name=$1 port=$2; shift 2
  if port_open "$port"; then log "$name is up on 127.0.0.1:$port"; return 0; fi
  log "$name is down; starting it"
  "$@" || true
  if wait_port "$port"; then log "$name started on 127.0.0.1:$port"; else log "could not start $name"; return 1; fi
}

status=0
if [[ -z "${DATABASE_URL:-}" || "${DATABASE_URL}" == *127.0.0.1* || "${DATABASE_URL}" == *localhost* ]]; then
  ensure PostgreSQL 5432 sh -c 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' || status=1
fi
if [[ -z "${REDIS_URL:-}" || "${REDIS_URL}" == *127.0.0.1* || "${REDIS_URL}" == *localhost* ]]; then
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  ensure Redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || status=1
fi
if [[ -z "${NATS_URL:-}" || "${NATS_URL}" == *127.0.0.1* || "${NATS_URL}" == *localhost* ]]; then
  mkdir -p /var/lib/nats-server 2>/dev/null || true
  ensure NATS 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || status=1
fi
exit $status
