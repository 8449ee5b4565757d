#!/usr/bin/env bash
# Starts, stops and reports the real components on loopback: PostgreSQL, Kafka (KRaft), Temporal dev server,
# and in the dev stack Mailpit (mail catcher).
# Usage: infra/stack.sh start|stop|status [postgres|kafka|temporal|mailpit ...]
#        infra/stack.sh reset-db   (drop and re-create the stack's database, empty, with its roles' rights)
set -euo pipefail
source "$(dirname "$0")/env.sh"

# ---------- PostgreSQL ----------
# Three roles per cluster, each with a password generated when the cluster is made (scram-sha-256 on the
# socket and on 127.0.0.1; nothing is trusted): postgres (superuser, used only here), jianyi_owner (owns
# the database and its schema, runs the migrations, resets test data) and jianyi_app (what the services
# use: read and write rows, audit_log insert-only, no DDL). The passwords live in a root-only file beside
# the cluster, linked as $JIANYI_DATA/postgres.credentials, where services/platform/src/config.ts reads them.
PG_OWNER=jianyi_owner PG_APP=jianyi_app
pg_dir() {
  # initdb/postgres refuse to run as root; the postgres user must be able to reach the data folder.
  local d="$JIANYI_DATA/postgres"
  if runuser -u postgres -- test -x "$JIANYI_DATA" 2>/dev/null; then echo "$d"; else
    echo "/var/tmp/jianyi-pg/$(printf '%s' "$JIANYI_DATA" | md5sum | cut -c1-12)"; fi
}
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$JIANYI_PG_PORT"; }
pg_creds() { echo "$(pg_dir).credentials"; }
pg_password() { awk -v r="$1" '$1 == r { print $2 }' "$(pg_creds)"; }
pg_new_password() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# psql as the superuser (the password works on a cluster made before passwords, which trusted everyone).
pg_su() { local db=$1; shift; PGPASSWORD=$(pg_password postgres) "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$JIANYI_PG_PORT" -U postgres -d "$db" -tA "$@"; }
pg_hba() {
  cat <<HBA
# Written by infra/stack.sh: every connection gives its role's password.
local   all             all                                     scram-sha-256
host    all             all             127.0.0.1/32            scram-sha-256
host    all             all             ::1/128                 scram-sha-256
HBA
}
pg_start() {
  local d; d=$(pg_dir); local logf="$JIANYI_LOGS/postgres.log" creds; creds=$(pg_creds)
  # The server writes its own log, so it must reach it too: beside the fallback data folder when the
  # clone is out of its reach (a root-only home folder, a mktemp -d folder), linked from the logs folder.
  if [ "$d" != "$JIANYI_DATA/postgres" ]; then
    logf="$d.log"; mkdir -p "$(dirname "$d")"; touch "$logf"; chown postgres:postgres "$logf"
    ln -sfn "$logf" "$JIANYI_LOGS/postgres.log"
  fi
  if [ ! -s "$creds" ]; then
    # A new cluster, or one made before passwords (trust): the superuser's password is set below.
    if [ -f "$d/PG_VERSION" ] && ! grep -qE '^[^#]*trust' "$d/pg_hba.conf" 2>/dev/null; then
      fail postgres "the cluster in $d asks for passwords but $creds is gone; stop it and remove $d to start afresh"
    fi
    (umask 077; for r in postgres $PG_OWNER $PG_APP; do echo "$r $(pg_new_password)"; done >"$creds")
  fi
  chmod 600 "$creds"
  [ "$creds" = "$JIANYI_DATA/postgres.credentials" ] || ln -sfn "$creds" "$JIANYI_DATA/postgres.credentials"
  if [ ! -f "$d/PG_VERSION" ]; then
    log postgres "creating cluster in $d"
    mkdir -p "$d"; chown -R postgres:postgres "$d"; chmod 700 "$d"
    local pwfile; pwfile=$(mktemp); pg_password postgres >"$pwfile"; chown postgres "$pwfile"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$d" -A scram-sha-256 --pwfile="$pwfile" -U postgres -E UTF8 --locale=C.UTF-8 >"$JIANYI_LOGS/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; fail postgres "initdb" "$JIANYI_LOGS/initdb.log"; }
    rm -f "$pwfile"
  fi
  touch "$logf"; chmod 666 "$logf" 2>/dev/null || true
  if pg_ready; then log postgres "already running on 127.0.0.1:$JIANYI_PG_PORT"; else
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$d" -l "$logf" -w -t 60 \
      -o "-p $JIANYI_PG_PORT -k $d -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${JIANYI_PG_FSYNC:-on}" start >/dev/null \
      || fail postgres "pg_ctl start" "$logf"
    wait_for postgres 30 "$logf" - pg_ready
  fi
  pg_roles "$d"
  [ "$(pg_su postgres -c "select 1 from pg_database where datname='$JIANYI_PG_DATABASE'")" = 1 ] || pg_su postgres -c "create database \"$JIANYI_PG_DATABASE\" owner $PG_OWNER"
  pg_prepare_db
  log postgres "ready on 127.0.0.1:$JIANYI_PG_PORT (PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), data $d, roles $PG_OWNER/$PG_APP, passwords in $JIANYI_DATA/postgres.credentials)"
}
# The roles with their passwords, and password authentication (a cluster made before passwords
# trusted every local connection: its superuser gets its password first, then pg_hba.conf changes).
pg_roles() {
  local d=$1
  pg_su postgres <<SQL >/dev/null
ALTER ROLE postgres PASSWORD '$(pg_password postgres)';
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_OWNER') THEN CREATE ROLE $PG_OWNER; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP') THEN CREATE ROLE $PG_APP; END IF;
END \$\$;
ALTER ROLE $PG_OWNER LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$(pg_password $PG_OWNER)';
ALTER ROLE $PG_APP LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$(pg_password $PG_APP)';
-- Benchmarks load data with triggers off (bench/load-scale.ts), as the owner.
GRANT SET ON PARAMETER session_replication_role TO $PG_OWNER;
SQL
  if [ "$(pg_hba)" != "$(cat "$d/pg_hba.conf" 2>/dev/null)" ]; then
    pg_hba >"$d/pg_hba.conf"; chown postgres:postgres "$d/pg_hba.conf"; chmod 600 "$d/pg_hba.conf"
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$d" reload >/dev/null
    log postgres "password authentication (scram-sha-256) on the socket and 127.0.0.1"
  fi
}
# The database belongs to the owner role; the application role may use its schema, and every table the
# owner creates (a migration) grants it SELECT, INSERT, UPDATE, DELETE (sequences USAGE). Migration
# 1796410000000-AuditLogInsertOnly takes UPDATE and DELETE on audit_log back. Objects an older stack
# made as the superuser are handed to the owner role once, with the same rights.
pg_prepare_db() {
  local db=$JIANYI_PG_DATABASE
  # RUM (ranked keyword search from the index) when the server has it: an extension only a superuser
  # may create (README "What a deployer provides"); the migrations use it when it is there.
  pg_su "$db" -c "SET client_min_messages = warning" -c "DO \$\$ BEGIN IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum') THEN CREATE EXTENSION IF NOT EXISTS rum; END IF; END \$\$" >/dev/null
  pg_su "$db" <<SQL >/dev/null
ALTER DATABASE "$db" OWNER TO $PG_OWNER;
REVOKE ALL ON DATABASE "$db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE "$db" TO $PG_APP;
ALTER SCHEMA public OWNER TO $PG_OWNER;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $PG_APP;
ALTER DEFAULT PRIVILEGES FOR ROLE $PG_OWNER IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $PG_APP;
ALTER DEFAULT PRIVILEGES FOR ROLE $PG_OWNER IN SCHEMA public GRANT USAGE ON SEQUENCES TO $PG_APP;
DO \$\$
DECLARE r record; moved int := 0;
BEGIN
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND c.relowner <> '$PG_OWNER'::regrole
        -- a sequence that belongs to a column follows its table
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO $PG_OWNER',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
    moved := moved + 1;
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> '$PG_OWNER'::regrole
        -- an extension's functions (rum) stay the superuser's
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO $PG_OWNER', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.name);
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS name FROM pg_type t
      WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> '$PG_OWNER'::regrole
        AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO $PG_OWNER', r.name);
  END LOOP;
  IF moved > 0 THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $PG_APP;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $PG_APP;
    IF to_regclass('public.audit_log') IS NOT NULL THEN
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM $PG_APP;
    END IF;
    RAISE NOTICE 'handed % objects to $PG_OWNER', moved;
  END IF;
END \$\$;
SQL
}
# An empty database for a test run (./dev test), with the roles' rights as above.
pg_reset_db() {
  pg_su postgres -c "DROP DATABASE IF EXISTS \"$JIANYI_PG_DATABASE\" WITH (FORCE)" -c "CREATE DATABASE \"$JIANYI_PG_DATABASE\" OWNER $PG_OWNER" >/dev/null
  pg_prepare_db
}
pg_stop() { local d; d=$(pg_dir); [ -f "$d/postmaster.pid" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true; log postgres stopped; }
pg_status() { if pg_ready; then echo "postgres  up    127.0.0.1:$JIANYI_PG_PORT"; else echo "postgres  down"; fi; }

# ---------- Kafka (KRaft, single node broker+controller) ----------
kafka_pid="$JIANYI_RUN/kafka.pid"
kafka_ready() { port_open "$JIANYI_KAFKA_PORT" && grep -q 'Kafka Server started' "$JIANYI_LOGS/kafka.log"; }
kafka_start() {
  local logf="$JIANYI_LOGS/kafka.log" d="$JIANYI_DATA/kafka" cp="$KAFKA_LIBS/*"
  if pid_alive "$kafka_pid"; then log kafka "already running on 127.0.0.1:$JIANYI_KAFKA_PORT"; return; fi
  [ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || fail kafka "jars missing in $KAFKA_LIBS; run infra/install.sh"
  mkdir -p "$d"
  cat >"$d/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$JIANYI_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$JIANYI_KAFKA_PORT,CONTROLLER://127.0.0.1:$JIANYI_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$JIANYI_KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$d/logs
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=-1
PROPS
  local java_opts=(-Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration="file:$JIANYI_ROOT/infra/kafka/log4j.properties")
  if [ ! -f "$d/logs/meta.properties" ]; then
    log kafka "formatting KRaft storage in $d/logs"
    java "${java_opts[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
      -c "$d/server.properties" >"$JIANYI_LOGS/kafka-format.log" 2>&1 || fail kafka "storage format" "$JIANYI_LOGS/kafka-format.log"
  fi
  : >"$logf"
  rm -f "$kafka_pid"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$kafka_pid" java "${java_opts[@]}" -cp "$cp" kafka.Kafka "$d/server.properties" >>"$logf" 2>&1 < /dev/null &
  for _ in $(seq 1 40); do [ -s "$kafka_pid" ] && break; sleep 0.05; done
  wait_for kafka 90 "$logf" "$kafka_pid" kafka_ready
  log kafka "ready on 127.0.0.1:$JIANYI_KAFKA_PORT (Apache Kafka $KAFKA_VERSION, KRaft)"
}
kafka_stop() { stop_pid kafka "$kafka_pid"; }
kafka_status() { if pid_alive "$kafka_pid" && port_open "$JIANYI_KAFKA_PORT"; then echo "kafka     up    127.0.0.1:$JIANYI_KAFKA_PORT"; else echo "kafka     down"; fi; }

# ---------- Temporal dev server ----------
temporal_pid="$JIANYI_RUN/temporal.pid"
temporal_ui_pid="$JIANYI_RUN/temporal-ui.pid"
temporal_ready() { "$TEMPORAL_BIN" operator namespace describe --address "127.0.0.1:$JIANYI_TEMPORAL_PORT" -n "$JIANYI_TEMPORAL_NAMESPACE"; }
temporal_start() {
  local logf="$JIANYI_LOGS/temporal.log" d="$JIANYI_DATA/temporal"
  if pid_alive "$temporal_pid"; then log temporal "already running on 127.0.0.1:$JIANYI_TEMPORAL_PORT"; return; fi
  [ -x "$TEMPORAL_BIN" ] || fail temporal "binary missing at $TEMPORAL_BIN; run infra/install.sh"
  mkdir -p "$d"
  # A port of ours can be held for a while by another program's outgoing connection (the ports lie in
  # the kernel's ephemeral range): the server then exits with "address already in use". Try again.
  local attempt
  for attempt in 1 2 3; do
    rm -f "$temporal_pid"
    # Search attributes the workflows set, so an operator can find any item in the Web UI.
    # JIANYI_TEMPORAL_SQLITE_PRAGMAS (e.g. "journal_mode=wal synchronous=normal"): pragmas for the dev server's
    # SQLite file (default none: a rollback journal synced on every commit; see README, P5).
    local pragmas=() p
    for p in ${JIANYI_TEMPORAL_SQLITE_PRAGMAS:-}; do pragmas+=(--sqlite-pragma "$p"); done
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$temporal_pid" "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$JIANYI_TEMPORAL_PORT" --ui-ip 127.0.0.1 --ui-port "$JIANYI_TEMPORAL_UI_INTERNAL_PORT" \
      --http-port "$JIANYI_TEMPORAL_HTTP_PORT" --metrics-port "$JIANYI_TEMPORAL_METRICS_PORT" \
      --db-filename "$d/temporal.sqlite" --namespace "$JIANYI_TEMPORAL_NAMESPACE" --log-level warn \
      --search-attribute SuggestionStatus=Keyword --search-attribute HandlingUnits=KeywordList \
      --search-attribute DeadlineAt=Datetime --search-attribute Overdue=Bool --search-attribute DeputyIds=KeywordList \
      "${pragmas[@]}" >"$logf" 2>&1 < /dev/null &
    for _ in $(seq 1 40); do [ -s "$temporal_pid" ] && break; sleep 0.05; done
    local deadline=$((SECONDS + 90))
    until temporal_ready >/dev/null 2>&1; do
      if ! pid_alive "$temporal_pid"; then
        if [ "$attempt" -lt 3 ] && grep -q 'address already in use' "$logf"; then log temporal "a port was busy; trying again"; sleep 3; continue 2; fi
        fail temporal "process exited (log: $logf)" "$logf"
      fi
      [ $SECONDS -ge $deadline ] && fail temporal "did not answer within 90s (log: $logf)" "$logf"
      sleep 0.5
    done
    break
  done
  # The Web UI people open is read-only (infra/temporal-ui-readonly.mjs: GET only, write actions hidden).
  if ! pid_alive "$temporal_ui_pid"; then
    setsid bash -c 'echo $$ >"$0"; exec node "$1" "$2" "$3"' "$temporal_ui_pid" "$JIANYI_ROOT/infra/temporal-ui-readonly.mjs" \
      "$JIANYI_TEMPORAL_UI_PORT" "$JIANYI_TEMPORAL_UI_INTERNAL_PORT" >"$JIANYI_LOGS/temporal-ui.log" 2>&1 </dev/null &
    wait_for temporal-ui 20 "$JIANYI_LOGS/temporal-ui.log" - port_open "$JIANYI_TEMPORAL_UI_PORT"
  fi
  log temporal "ready on 127.0.0.1:$JIANYI_TEMPORAL_PORT, Web UI (read-only) http://127.0.0.1:$JIANYI_TEMPORAL_UI_PORT (temporal CLI $TEMPORAL_VERSION)"
}
temporal_stop() { stop_pid temporal-ui "$temporal_ui_pid"; stop_pid temporal "$temporal_pid"; }
temporal_status() { if pid_alive "$temporal_pid" && port_open "$JIANYI_TEMPORAL_PORT"; then echo "temporal  up    127.0.0.1:$JIANYI_TEMPORAL_PORT  ui http://127.0.0.1:$JIANYI_TEMPORAL_UI_PORT"; else echo "temporal  down"; fi; }

# ---------- Mailpit (dev only: catches every mail the notifier sends; web UI to read them) ----------
# The test stack runs no Mailpit: tests start their own SMTP server on the same port to assert on mails.
mailpit_pid="$JIANYI_RUN/mailpit.pid"
mailpit_ready() { curl -fsS "http://127.0.0.1:$JIANYI_MAILPIT_UI_PORT/livez" >/dev/null; }
mailpit_start() {
  local logf="$JIANYI_LOGS/mailpit.log" d="$JIANYI_DATA/mailpit"
  if [ "$JIANYI_ENV" != dev ]; then log mailpit "not started outside the dev stack"; return; fi
  if pid_alive "$mailpit_pid"; then log mailpit "already running, web UI http://127.0.0.1:$JIANYI_MAILPIT_UI_PORT"; return; fi
  [ -x "$MAILPIT_BIN" ] || fail mailpit "binary missing at $MAILPIT_BIN; run infra/install.sh"
  mkdir -p "$d"; : >"$logf"; rm -f "$mailpit_pid"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$mailpit_pid" "$MAILPIT_BIN" --smtp "127.0.0.1:$JIANYI_SMTP_PORT" \
    --listen "127.0.0.1:$JIANYI_MAILPIT_UI_PORT" --database "$d/mailpit.db" --max 5000 \
    --smtp-auth-accept-any --smtp-auth-allow-insecure >>"$logf" 2>&1 </dev/null &
  for _ in $(seq 1 40); do [ -s "$mailpit_pid" ] && break; sleep 0.05; done
  wait_for mailpit 30 "$logf" "$mailpit_pid" mailpit_ready
  log mailpit "ready: SMTP 127.0.0.1:$JIANYI_SMTP_PORT, web UI http://127.0.0.1:$JIANYI_MAILPIT_UI_PORT (Mailpit $MAILPIT_VERSION)"
}
mailpit_stop() { stop_pid mailpit "$mailpit_pid"; }
mailpit_status() { if pid_alive "$mailpit_pid" && mailpit_ready 2>/dev/null; then echo "mailpit   up    smtp 127.0.0.1:$JIANYI_SMTP_PORT  ui http://127.0.0.1:$JIANYI_MAILPIT_UI_PORT"; else echo "mailpit   down"; fi; }

# ---------- S3-compatible object store (versitygw, posix backend): attachments on the test stack ----------
s3_pid="$JIANYI_RUN/s3.pid"
s3_ready() { curl -sS -o /dev/null "http://127.0.0.1:$JIANYI_S3_PORT/"; }
s3_start() {
  local logf="$JIANYI_LOGS/s3.log" d="$JIANYI_DATA/s3"
  if pid_alive "$s3_pid"; then log s3 "already running on 127.0.0.1:$JIANYI_S3_PORT"; return; fi
  [ -x "$VERSITYGW_BIN" ] || fail s3 "binary missing at $VERSITYGW_BIN; run infra/install.sh"
  # The bucket is a folder of the posix backend; metadata in a sidecar folder (no xattrs needed).
  mkdir -p "$d/root/$JIANYI_S3_BUCKET" "$d/meta"; : >"$logf"; rm -f "$s3_pid"
  ROOT_ACCESS_KEY="$JIANYI_S3_ACCESS_KEY" ROOT_SECRET_KEY="$JIANYI_S3_SECRET_KEY" \
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$s3_pid" "$VERSITYGW_BIN" --port "127.0.0.1:$JIANYI_S3_PORT" --quiet \
    posix --sidecar "$d/meta" "$d/root" >>"$logf" 2>&1 </dev/null &
  for _ in $(seq 1 40); do [ -s "$s3_pid" ] && break; sleep 0.05; done
  wait_for s3 30 "$logf" "$s3_pid" s3_ready
  log s3 "ready: S3 endpoint http://127.0.0.1:$JIANYI_S3_PORT, bucket $JIANYI_S3_BUCKET (versitygw $VERSITYGW_VERSION)"
}
s3_stop() { stop_pid s3 "$s3_pid"; }
s3_status() { if pid_alive "$s3_pid" && s3_ready 2>/dev/null; then echo "s3        up    http://127.0.0.1:$JIANYI_S3_PORT  bucket $JIANYI_S3_BUCKET"; else echo "s3        down"; fi; }

stop_pid() {
  local name=$1 f=$2
  if pid_alive "$f"; then
    local p; p=$(cat "$f")
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$f"; log "$name" stopped
}

cmd=${1:-status}; shift || true
comps=("$@"); [ ${#comps[@]} -gt 0 ] || comps=(postgres kafka temporal mailpit s3)
# The stack's ports (55432…, 57233…, 59092… plus an offset) lie in Linux's ephemeral range
# (32768–60999), so an outgoing connection of another stack (Temporal's own ones, for instance) can
# take one of them just before a server binds it. Reserve them from ephemeral use when we may.
reserve_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports
  [ -w "$f" ] || return 0
  local want="55000-60999" cur; cur=$(cat "$f")
  case ",$cur," in *",$want,"*) return 0 ;; esac
  echo "${cur:+$cur,}$want" >"$f" 2>/dev/null || true
}

case $cmd in
  start) reserve_ports; for c in "${comps[@]}"; do case $c in postgres) pg_start;; kafka) kafka_start;; temporal) temporal_start;; mailpit) mailpit_start;; s3) s3_start;; *) fail stack "unknown component $c";; esac; done ;;
  stop) for c in "${comps[@]}"; do case $c in postgres) pg_stop;; kafka) kafka_stop;; temporal) temporal_stop;; mailpit) mailpit_stop;; s3) s3_stop;; esac; done ;;
  status) for c in "${comps[@]}"; do case $c in postgres) pg_status;; kafka) kafka_status;; temporal) temporal_status;; mailpit) mailpit_status;; s3) s3_status;; esac; done ;;
  reset-db) pg_reset_db; log postgres "database $JIANYI_PG_DATABASE re-created, empty" ;;
  *) echo "usage: $0 start|stop|status [postgres|kafka|temporal|mailpit|s3] | reset-db"; exit 2 ;;
esac
