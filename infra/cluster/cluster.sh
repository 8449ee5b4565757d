#!/usr/bin/env bash
# The cluster profile (issue 14, "Proof on a local cluster"): on loopback, a 3-broker Kafka cluster
# (KRaft, every node broker and controller, replication 3, min.insync.replicas=2), two Temporal server
# processes (built from the server's Go module) that form one ring on PostgreSQL persistence,
# PostgreSQL with a streaming replica, two instances each of worker, API, tracker, relay and notifier,
# Mailpit for their mail, and the web app in front of a round-robin balancer (infra/cluster/lb.ts)
# over the two APIs and the two trackers; a third balancer spreads the SDK clients over the two
# Temporal frontends.
#
# Usage: infra/cluster/cluster.sh up | down | status | env
#        infra/cluster/cluster.sh start|stop|kill <component> ...   (one component, for the chaos run)
# Ports: JIANYI_CLUSTER_BASE (default 40000) and up to +99, the Temporal servers' from
# JIANYI_CLUSTER_TEMPORAL_BASE (default 27230, +0..19); data in .data/cluster (JIANYI_CLUSTER_DATA).
# ./dev cluster up builds the services first; this script expects dist/ and web/build/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export JIANYI_ROOT="${JIANYI_ROOT:-$(cd "$here/../.." && pwd)}"
# The services run as the local `test` kind of stack (demo data, loopback cookies, the generated
# database passwords of the data folder) but with every address of the cluster's.
export JIANYI_ENV=test
export JIANYI_DATA="${JIANYI_CLUSTER_DATA:-$JIANYI_ROOT/.data/cluster}"
unset JIANYI_LOGS
B="${JIANYI_CLUSTER_BASE:-40000}"
export JIANYI_PG_PORT=$B
# shellcheck source=../env.sh
source "$JIANYI_ROOT/infra/env.sh"
CD=$JIANYI_DATA

TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-1.29.1}"
TS_DIR="$JIANYI_CACHE/temporal-server-$TEMPORAL_SERVER_VERSION"
PG_REPLICA_PORT=$((B + 1))
SMTP_PORT=$((B + 5)) MAILPIT_UI_PORT=$((B + 6))
kafka_port() { echo $((B + 9 + $1)); }       # brokers 1..3: B+10..12
kafka_ctl_port() { echo $((B + 19 + $1)); }  # controllers 1..3: B+20..22
# Temporal's servers record their membership ports in a smallint column: they must lie below 32768,
# so they have their own base (JIANYI_CLUSTER_TEMPORAL_BASE, default 27230; servers at +0..9 and +10..19).
TB="${JIANYI_CLUSTER_TEMPORAL_BASE:-27230}"
temporal_base() { echo $((TB + 10 * ($1 - 1))); }
TEMPORAL_LB_PORT=$((B + 50))
API_LB_PORT=$((B + 64)) TRACKER_LB_PORT=$((B + 65)) WEB_PORT=$((B + 66))
api_port() { echo $((B + 59 + $1)); }     # B+60, B+61
tracker_port() { echo $((B + 61 + $1)); } # B+62, B+63
REPLICATION="${JIANYI_KAFKA_REPLICATION_FACTOR:-3}"
MIN_ISR="${JIANYI_KAFKA_MIN_INSYNC_REPLICAS:-2}"
BROKERS="127.0.0.1:$(kafka_port 1),127.0.0.1:$(kafka_port 2),127.0.0.1:$(kafka_port 3)"

# What the services (and the chaos run) see.
export JIANYI_KAFKA_BROKERS=$BROKERS
# The topic's replication as `setup` and the services see it (they would otherwise take the one-broker defaults).
export JIANYI_KAFKA_REPLICATION_FACTOR=$REPLICATION JIANYI_KAFKA_MIN_INSYNC_REPLICAS=$MIN_ISR
export JIANYI_TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_LB_PORT"
export JIANYI_API_PORT=$API_LB_PORT JIANYI_TRACKER_PORT=$TRACKER_LB_PORT JIANYI_WEB_PORT=$WEB_PORT
export JIANYI_SMTP_PORT=$SMTP_PORT JIANYI_PUBLIC_URL="http://127.0.0.1:$WEB_PORT"
export JIANYI_KAFKA_PORT=$(kafka_port 1) JIANYI_TEMPORAL_PORT=$TEMPORAL_LB_PORT JIANYI_CLUSTER_MAILPIT_UI_PORT=$MAILPIT_UI_PORT

SERVICES=(worker-1 worker-2 relay-1 relay-2 notifier-1 notifier-2 tracker-1 tracker-2 api-1 api-2)
ALL=(postgres postgres-replica kafka-1 kafka-2 kafka-3 temporal-1 temporal-2 lb-temporal mailpit
  "${SERVICES[@]}" lb-api lb-tracker web)

# ---------- tools ----------
# The Temporal server and its SQL schema tool, built from the server's Go module once per machine.
cluster_install() {
  bash "$JIANYI_ROOT/infra/install.sh"
  if [ ! -x "$TS_DIR/server" ] || [ ! -x "$TS_DIR/sql" ] || [ ! -d "$TS_DIR/schema" ]; then
    log temporal "building the Temporal server v$TEMPORAL_SERVER_VERSION and temporal-sql-tool with go install (several minutes the first time)"
    mkdir -p "$TS_DIR"
    (cd /tmp && GOBIN="$TS_DIR" GOFLAGS=-mod=mod go install "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" \
      "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION") >"$JIANYI_LOGS/temporal-server-build.log" 2>&1 \
      || fail temporal "go install of the Temporal server" "$JIANYI_LOGS/temporal-server-build.log"
    # The schema files ship in the module; keep a copy beside the binaries.
    rm -rf "$TS_DIR/schema"
    cp -r "$(go env GOMODCACHE)/go.temporal.io/server@v$TEMPORAL_SERVER_VERSION/schema/postgresql/v12" "$TS_DIR/schema"
    chmod -R u+w "$TS_DIR/schema"
  fi
}

# ---------- processes ----------
pidf() { echo "$JIANYI_RUN/$1.pid"; }
logf() { echo "$JIANYI_LOGS/$1.log"; }
# spawn NAME COMMAND...: in its own process group (so the whole group can be killed), pid in run/NAME.pid.
spawn() {
  local name=$1; shift
  local p; p=$(pidf "$name")
  rm -f "$p"; : >"$(logf "$name")"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$p" "$@" >>"$(logf "$name")" 2>&1 </dev/null &
  for _ in $(seq 1 40); do [ -s "$p" ] && break; sleep 0.05; done
}
stop_one() {
  local name=$1 sig=${2:-TERM} p; p=$(pidf "$1")
  if pid_alive "$p"; then
    local pid; pid=$(cat "$p")
    kill "-$sig" -- "-$pid" 2>/dev/null || kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$p"
}

# ---------- PostgreSQL: the primary (infra/stack.sh's, on the cluster's port) and a streaming replica ----------
pg_super_pw() { awk '$1 == "postgres" { print $2 }' "$CD/postgres.credentials"; }
psql_su() { PGPASSWORD=$(pg_super_pw) "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$B" -U postgres -tA "$@"; }
replica_dir() { echo "/var/tmp/jianyi-pg/cluster-$(printf '%s' "$CD" | md5sum | cut -c1-12)-replica"; }
start_postgres() {
  bash "$JIANYI_ROOT/infra/stack.sh" start postgres
  # Streaming replication for the replica (infra/stack.sh writes pg_hba.conf without it).
  local hba; hba=$(psql_su -d postgres -c 'SHOW hba_file')
  if ! grep -q '^host *replication' "$hba"; then
    echo "host    replication     postgres        127.0.0.1/32            scram-sha-256" >>"$hba"
    psql_su -d postgres -c 'SELECT pg_reload_conf()' >/dev/null
  fi
}
start_postgres_replica() {
  local d; d=$(replica_dir)
  if [ ! -f "$d/PG_VERSION" ]; then
    log postgres-replica "base backup from the primary into $d"
    rm -rf "$d"; mkdir -p "$d"; chown postgres:postgres "$d"; chmod 700 "$d"
    runuser -u postgres -- env PGPASSWORD="$(pg_super_pw)" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$B" -U postgres \
      -D "$d" -R -X stream -c fast -C -S cluster_replica >"$JIANYI_LOGS/pg-basebackup.log" 2>&1 \
      || fail postgres-replica "pg_basebackup" "$JIANYI_LOGS/pg-basebackup.log"
  fi
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_REPLICA_PORT"; then return; fi
  local lf="$d.log"; touch "$lf"; chown postgres "$lf"; ln -sfn "$lf" "$(logf postgres-replica)"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$d" -l "$lf" -w -t 60 \
    -o "-p $PG_REPLICA_PORT -k $d -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200" start >/dev/null \
    || fail postgres-replica "pg_ctl start" "$lf"
}
stop_postgres_replica() {
  local d; d=$(replica_dir)
  [ -f "$d/postmaster.pid" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true
}
# The Temporal server's own role and databases (temporal, temporal_visibility), schema by temporal-sql-tool.
temporal_pw() {
  local f="$CD/temporal.credentials"
  [ -s "$f" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$f")
  cat "$f"
}
temporal_db() {
  local pw; pw=$(temporal_pw)
  psql_su -d postgres <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'temporal') THEN CREATE ROLE temporal LOGIN; END IF;
END \$\$;
ALTER ROLE temporal LOGIN PASSWORD '$pw';
SQL
  local db
  for db in temporal temporal_visibility; do
    [ "$(psql_su -d postgres -c "select 1 from pg_database where datname='$db'")" = 1 ] || psql_su -d postgres -c "CREATE DATABASE $db OWNER temporal" >/dev/null
    local tool=("$TS_DIR/sql" --plugin postgres12 --ep 127.0.0.1 -p "$B" -u temporal --pw "$pw" --db "$db")
    local dir=temporal; [ $db = temporal_visibility ] && dir=visibility
    if [ "$(psql_su -d "$db" -c "select 1 from pg_tables where tablename='schema_version'")" != 1 ]; then
      "${tool[@]}" setup-schema -v 0.0 >>"$JIANYI_LOGS/temporal-schema.log" 2>&1 || fail temporal "setup-schema $db" "$JIANYI_LOGS/temporal-schema.log"
    fi
    "${tool[@]}" update-schema -d "$TS_DIR/schema/$dir/versioned" >>"$JIANYI_LOGS/temporal-schema.log" 2>&1 \
      || fail temporal "update-schema $db" "$JIANYI_LOGS/temporal-schema.log"
  done
  log temporal "schema of temporal and temporal_visibility up to date (temporal-sql-tool)"
}

# ---------- Kafka: three nodes, each broker and controller ----------
start_kafka() {
  local i=$1 name="kafka-$1" d="$CD/kafka-$1" cp="$KAFKA_LIBS/*"
  pid_alive "$(pidf "$name")" && return
  mkdir -p "$d"
  local voters="1@127.0.0.1:$(kafka_ctl_port 1),2@127.0.0.1:$(kafka_ctl_port 2),3@127.0.0.1:$(kafka_ctl_port 3)"
  cat >"$d/server.properties" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$i"),CONTROLLER://127.0.0.1:$(kafka_ctl_port "$i")
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$i")
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$d/logs
num.partitions=6
default.replication.factor=$REPLICATION
min.insync.replicas=$MIN_ISR
offsets.topic.replication.factor=$REPLICATION
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=$REPLICATION
transaction.state.log.min.isr=$MIN_ISR
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=-1
PROPS
  local java_opts=(-Xms128m -Xmx384m -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -Dlog4j.configuration="file:$JIANYI_ROOT/infra/kafka/log4j.properties")
  if [ ! -f "$d/logs/meta.properties" ]; then
    [ -s "$CD/kafka.cluster-id" ] || java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1 >"$CD/kafka.cluster-id"
    java "${java_opts[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$(cat "$CD/kafka.cluster-id")" -c "$d/server.properties" \
      >"$JIANYI_LOGS/$name-format.log" 2>&1 || fail "$name" "storage format" "$JIANYI_LOGS/$name-format.log"
  fi
  spawn "$name" java "${java_opts[@]}" -cp "$cp" kafka.Kafka "$d/server.properties"
}
kafka_ready() { port_open "$(kafka_port "$1")" && grep -q 'Kafka Server started' "$(logf "kafka-$1")"; }

# ---------- Temporal: two server processes (frontend, history, matching, worker each) in one ring ----------
start_temporal() {
  local i=$1 name="temporal-$1" t; t=$(temporal_base "$1")
  pid_alive "$(pidf "$name")" && return
  local d="$CD/temporal-$i"; mkdir -p "$d/config"
  cat >"$d/dynamicconfig.yaml" <<YAML
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableUpdateWorkflowExecutionAsyncAccepted:
  - value: true
limit.maxIDLength:
  - value: 255
YAML
  local pw; pw=$(temporal_pw)
  local stores="" store db
  for store in default visibility; do
    db=temporal; [ $store = visibility ] && db=temporal_visibility
    stores+="    $store:
      sql:
        pluginName: postgres12
        databaseName: $db
        connectAddr: \"127.0.0.1:$B\"
        connectProtocol: tcp
        user: temporal
        password: \"$pw\"
        maxConns: 10
        maxIdleConns: 10
        maxConnLifetime: 1h
"
  done
  cat >"$d/config/node.yaml" <<YAML
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 8
  datastores:
$stores
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:$((t + 9))"
services:
  frontend:
    rpc: { grpcPort: $t, membershipPort: $((t + 1)), httpPort: $((t + 2)), bindOnLocalHost: true }
  history:
    rpc: { grpcPort: $((t + 3)), membershipPort: $((t + 4)), bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: $((t + 5)), membershipPort: $((t + 6)), bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: $((t + 7)), membershipPort: $((t + 8)), bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$(temporal_base 1)"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "$d/dynamicconfig.yaml"
  pollInterval: 10s
YAML
  spawn "$name" "$TS_DIR/server" --root "$d" --config config --env node --allow-no-auth start
}
temporal_ready() { "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$(temporal_base "$1")" >/dev/null 2>&1; }
# The namespace and the search attributes the workflows set, through the operator API (no dev-server flags here).
temporal_namespace() {
  local a="127.0.0.1:$TEMPORAL_LB_PORT" ns=$JIANYI_TEMPORAL_NAMESPACE
  "$TEMPORAL_BIN" operator namespace describe --address "$a" -n "$ns" >/dev/null 2>&1 \
    || "$TEMPORAL_BIN" operator namespace create --address "$a" -n "$ns" --retention 72h >>"$JIANYI_LOGS/temporal-setup.log" 2>&1 \
    || fail temporal "namespace create" "$JIANYI_LOGS/temporal-setup.log"
  local sa
  for sa in SuggestionStatus=Keyword HandlingUnits=KeywordList DeadlineAt=Datetime Overdue=Bool DeputyIds=KeywordList; do
    "$TEMPORAL_BIN" operator search-attribute list --address "$a" -n "$ns" 2>/dev/null | grep -q "${sa%%=*}" && continue
    "$TEMPORAL_BIN" operator search-attribute create --address "$a" -n "$ns" --name "${sa%%=*}" --type "${sa#*=}" \
      >>"$JIANYI_LOGS/temporal-setup.log" 2>&1 || fail temporal "search attribute ${sa%%=*}" "$JIANYI_LOGS/temporal-setup.log"
  done
  for _ in $(seq 1 60); do
    "$TEMPORAL_BIN" operator namespace describe --address "$a" -n "$ns" >/dev/null 2>&1 && break; sleep 1
  done
  log temporal "namespace $ns with its search attributes"
}

# ---------- the project's services, two of each ----------
svc_env() {
  local name=$1 kind=${1%-*} n=${1##*-}
  local env=(NODE_ENV=production JIANYI_APP_NAME="jianyi-$name" JIANYI_WORKFLOW_BUNDLE="$JIANYI_ROOT/dist/workflow-bundle.js")
  [ "$kind" = worker ] && env[0]=NODE_ENV=
  [ "$kind" = api ] && env+=(JIANYI_API_PORT="$(api_port "$n")")
  [ "$kind" = tracker ] && env+=(JIANYI_TRACKER_PORT="$(tracker_port "$n")")
  env+=("JIANYI_${kind^^}_OPS_PORT=$(ops_port "$name")")
  [ "$kind" = worker ] && env+=(JIANYI_WORKER_SDK_METRICS_ADDRESS="127.0.0.1:$((B + 80 + n))")
  printf '%s\n' "${env[@]}"
}
# Each instance's operations port (/healthz /readyz /metrics): B+71..80 (worker, relay, notifier, tracker,
# api; instance 1 then 2); the workers' Temporal SDK metrics B+81..82; the web app's B+83.
ops_port() {
  local kind=${1%-*} n=${1##*-} k i=0
  [ "$1" = web ] && { echo $((B + 83)); return; }
  for k in worker relay notifier tracker api; do [ "$k" = "$kind" ] && break; i=$((i + 1)); done
  echo $((B + 71 + 2 * i + n - 1))
}
start_service() {
  local name=$1 kind=${1%-*}
  pid_alive "$(pidf "$name")" && return
  local e; mapfile -t e < <(svc_env "$name")
  [ -f "$JIANYI_ROOT/dist/$kind.js" ] || fail "$name" "dist/$kind.js missing; run: pnpm build"
  (cd "$JIANYI_ROOT" && spawn "$name" env "${e[@]}" node --enable-source-maps "dist/$kind.js")
}
# Ready: /readyz on the instance's operations port (a standby relay, waiting for the lock, is ready too).
service_ready() { curl -fsS "http://127.0.0.1:$(ops_port "$1")/readyz"; }
start_lb() {
  local name=$1 port=$2; shift 2
  pid_alive "$(pidf "$name")" && return
  (cd "$JIANYI_ROOT" && spawn "$name" node_modules/.bin/tsx infra/cluster/lb.ts "$name" "$port" "$@")
}
start_web() {
  pid_alive "$(pidf web)" && return
  [ -f "$JIANYI_ROOT/web/build/handler.js" ] || fail web "web/build missing; run: pnpm --filter @jianyi/web build"
  [ -f "$JIANYI_ROOT/dist/web.js" ] || fail web "dist/web.js missing; run: pnpm build"
  (cd "$JIANYI_ROOT" && spawn web env NODE_ENV=production BODY_SIZE_LIMIT=Infinity JIANYI_WEB_PORT="$WEB_PORT" \
    JIANYI_WEB_OPS_PORT="$(ops_port web)" JIANYI_APP_NAME=jianyi-web ORIGIN="http://127.0.0.1:$WEB_PORT" \
    JIANYI_API_URL="http://127.0.0.1:$API_LB_PORT" JIANYI_TRACKER_URL="http://127.0.0.1:$TRACKER_LB_PORT" \
    node --enable-source-maps dist/web.js)
}

# ---------- one component by name ----------
start_component() {
  local c=$1
  case $c in
    postgres) start_postgres ;;
    postgres-replica) start_postgres_replica ;;
    kafka-[123]) start_kafka "${c#kafka-}"; wait_for "$c" 120 "$(logf "$c")" "$(pidf "$c")" kafka_ready "${c#kafka-}" ;;
    temporal-[12]) start_temporal "${c#temporal-}"; wait_for "$c" 120 "$(logf "$c")" "$(pidf "$c")" temporal_ready "${c#temporal-}" ;;
    lb-temporal) start_lb lb-temporal "$TEMPORAL_LB_PORT" "127.0.0.1:$(temporal_base 1)" "127.0.0.1:$(temporal_base 2)"
      wait_for "$c" 30 "$(logf "$c")" "$(pidf "$c")" port_open "$TEMPORAL_LB_PORT" ;;
    lb-api) start_lb lb-api "$API_LB_PORT" "127.0.0.1:$(api_port 1)" "127.0.0.1:$(api_port 2)"
      wait_for "$c" 30 "$(logf "$c")" "$(pidf "$c")" port_open "$API_LB_PORT" ;;
    lb-tracker) start_lb lb-tracker "$TRACKER_LB_PORT" "127.0.0.1:$(tracker_port 1)" "127.0.0.1:$(tracker_port 2)"
      wait_for "$c" 30 "$(logf "$c")" "$(pidf "$c")" port_open "$TRACKER_LB_PORT" ;;
    mailpit) pid_alive "$(pidf mailpit)" || { mkdir -p "$CD/mailpit"; spawn mailpit "$MAILPIT_BIN" --smtp "127.0.0.1:$SMTP_PORT" \
      --listen "127.0.0.1:$MAILPIT_UI_PORT" --database "$CD/mailpit/mailpit.db" --max 20000 --smtp-auth-accept-any --smtp-auth-allow-insecure; }
      wait_for mailpit 30 "$(logf mailpit)" "$(pidf mailpit)" port_open "$SMTP_PORT" ;;
    web) start_web; wait_for web 90 "$(logf web)" "$(pidf web)" service_ready web ;;
    worker-? | relay-? | notifier-? | tracker-? | api-?) start_service "$c"; wait_for "$c" 120 "$(logf "$c")" "$(pidf "$c")" service_ready "$c" ;;
    *) fail cluster "unknown component $c" ;;
  esac
  log "$c" "up"
}
stop_component() {
  local c=$1 sig=${2:-TERM}
  case $c in
    postgres) if [ "$sig" = KILL ]; then pkill_pg; else bash "$JIANYI_ROOT/infra/stack.sh" stop postgres >/dev/null; fi ;;
    postgres-replica) stop_postgres_replica ;;
    *) stop_one "$c" "$sig" ;;
  esac
}
# SIGKILL of the primary's postmaster (its pid from postmaster.pid; the data folder per infra/stack.sh).
pkill_pg() {
  local f; f="$(psql_su -d postgres -c 'SHOW data_directory' 2>/dev/null)/postmaster.pid"
  [ -f "$f" ] && kill -KILL "$(head -1 "$f")" 2>/dev/null || true
}
component_port() {
  local c=$1
  case $c in
    postgres) echo "$B" ;; postgres-replica) echo "$PG_REPLICA_PORT" ;;
    kafka-?) echo "$(kafka_port "${c#kafka-}") (controller $(kafka_ctl_port "${c#kafka-}"))" ;;
    temporal-?) local t; t=$(temporal_base "${c#temporal-}"); echo "$t (membership $((t + 1)),$((t + 4)),$((t + 6)),$((t + 8)); metrics $((t + 9)))" ;;
    lb-temporal) echo "$TEMPORAL_LB_PORT" ;; lb-api) echo "$API_LB_PORT" ;; lb-tracker) echo "$TRACKER_LB_PORT" ;;
    mailpit) echo "smtp $SMTP_PORT, ui $MAILPIT_UI_PORT" ;; web) echo "$WEB_PORT (ops $(ops_port web))" ;;
    api-?) echo "$(api_port "${c#api-}") (ops $(ops_port "$c"))" ;; tracker-?) echo "$(tracker_port "${c#tracker-}") (ops $(ops_port "$c"))" ;;
    worker-? | relay-? | notifier-?) echo "ops $(ops_port "$c")" ;; *) echo - ;;
  esac
}
component_up() {
  case $1 in
    postgres) "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$B" ;;
    postgres-replica) "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_REPLICA_PORT" ;;
    *) pid_alive "$(pidf "$1")" ;;
  esac
}

reserve_ports() {
  local f=/proc/sys/net/ipv4/ip_local_reserved_ports want="$B-$((B + 99))"
  [ -w "$f" ] || return 0
  case ",$(cat "$f")," in *",$want,"*) return 0 ;; esac
  local cur; cur=$(cat "$f"); echo "${cur:+$cur,}$want" >"$f" 2>/dev/null || true
}

cmd=${1:-status}; shift || true
case $cmd in
  install) cluster_install ;;
  up)
    [ "${JIANYI_CLUSTER_SKIP_INSTALL:-}" = 1 ] || cluster_install
    reserve_ports
    start_component postgres
    (cd "$JIANYI_ROOT" && node_modules/.bin/tsx services/platform/src/db/migrate.ts && node_modules/.bin/tsx services/platform/src/db/seed.ts) \
      >"$JIANYI_LOGS/migrate.log" 2>&1 || fail migrate "migrate and seed" "$JIANYI_LOGS/migrate.log"
    start_component postgres-replica
    temporal_db
    # The brokers wait for each other's quorum: start all three, then wait.
    for i in 1 2 3; do start_kafka "$i"; done
    for i in 1 2 3; do start_component "kafka-$i"; done
    (cd "$JIANYI_ROOT" && node_modules/.bin/tsx infra/cluster/topics.ts) >"$JIANYI_LOGS/topics.log" 2>&1 || fail kafka "topics" "$JIANYI_LOGS/topics.log"
    log kafka "$(cat "$JIANYI_LOGS/topics.log")"
    start_component temporal-1
    start_component temporal-2
    start_component lb-temporal
    temporal_namespace
    start_component mailpit
    for s in "${SERVICES[@]}"; do start_component "$s"; done
    start_component lb-api; start_component lb-tracker; start_component web
    cat <<MSG

  Cluster profile is up (ports from $B; data in $CD).
    Web app            http://127.0.0.1:$WEB_PORT   (APIs $(api_port 1), $(api_port 2) behind :$API_LB_PORT; trackers $(tracker_port 1), $(tracker_port 2) behind :$TRACKER_LB_PORT)
    Kafka              $BROKERS   (KRaft, replication $REPLICATION, min.insync.replicas $MIN_ISR)
    Temporal           127.0.0.1:$TEMPORAL_LB_PORT → servers :$(temporal_base 1), :$(temporal_base 2) (PostgreSQL persistence)
    PostgreSQL         primary 127.0.0.1:$B, streaming replica 127.0.0.1:$PG_REPLICA_PORT
    Mail (Mailpit)     http://127.0.0.1:$MAILPIT_UI_PORT
  Status: ./dev cluster status    Chaos: ./dev cluster chaos    Stop: ./dev cluster down
MSG
    ;;
  down)
    for ((i = ${#ALL[@]} - 1; i >= 0; i--)); do stop_component "${ALL[$i]}"; done
    log cluster "stopped" ;;
  status)
    for c in "${ALL[@]}"; do
      if component_up "$c"; then st=up; else st=down; fi
      pid=-; [ -f "$(pidf "$c")" ] && pid=$(cat "$(pidf "$c")")
      printf '%-17s %-5s pid %-8s port %s\n' "$c" "$st" "$pid" "$(component_port "$c")"
    done
    if component_up postgres; then
      echo "replication: $(psql_su -d postgres -c "select coalesce(string_agg(application_name || ' ' || state || ' ' || sync_state, ', '), 'no replica streaming') from pg_stat_replication")"
    fi ;;
  start) for c in "$@"; do start_component "$c"; done ;;
  stop) for c in "$@"; do stop_component "$c"; log "$c" stopped; done ;;
  kill) for c in "$@"; do stop_component "$c" KILL; log "$c" killed; done ;;
  env) env | grep -E '^JIANYI_' | sort | sed 's/^/export /' ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
