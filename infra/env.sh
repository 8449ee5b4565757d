# Shared settings for the infra scripts. Every value can be overridden from the environment.
# JIANYI_ENV=dev (default) or test: the test stack uses its own ports and data folder, so the
# test suite can run while a dev stack is up.
JIANYI_ROOT="${JIANYI_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
JIANYI_ENV="${JIANYI_ENV:-dev}"
# Tools are built or downloaded once per machine, keyed by version, outside the clone.
JIANYI_CACHE="${JIANYI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jianyi}"
export JIANYI_DATA="${JIANYI_DATA:-$JIANYI_ROOT/.data/$JIANYI_ENV}"  # config.ts reads the database passwords here
JIANYI_LOGS="${JIANYI_LOGS:-$JIANYI_DATA/logs}"
JIANYI_RUN="$JIANYI_DATA/run"

TEMPORAL_VERSION="${TEMPORAL_VERSION:-1.5.1}"
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
PG_VERSION="${PG_VERSION:-15}"
TEMPORAL_BIN="${TEMPORAL_BIN:-$JIANYI_CACHE/temporal-$TEMPORAL_VERSION/temporal}"
KAFKA_LIBS="${KAFKA_LIBS:-$JIANYI_CACHE/kafka-$KAFKA_VERSION/libs}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}"
MAILPIT_VERSION="${MAILPIT_VERSION:-1.33.1}"
MAILPIT_BIN="${MAILPIT_BIN:-$JIANYI_CACHE/mailpit-$MAILPIT_VERSION/mailpit}"
# Deployment checks (infra/check-deploy.sh): helm and kubeconform built from their Go modules, and the
# Kubernetes JSON schemas kubeconform validates against, from the kubernetes-validate package (PyPI).
HELM_VERSION="${HELM_VERSION:-3.19.0}"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-0.7.0}"
K8S_SCHEMAS_PACKAGE_VERSION="${K8S_SCHEMAS_PACKAGE_VERSION:-1.37.0}"
K8S_VERSION="${K8S_VERSION:-1.31.0}"
JIANYI_DEPLOY_TOOLS="${JIANYI_DEPLOY_TOOLS:-$JIANYI_CACHE/bin}"
HELM_BIN="${HELM_BIN:-$JIANYI_DEPLOY_TOOLS/helm-$HELM_VERSION/helm}"
KUBECONFORM_BIN="${KUBECONFORM_BIN:-$JIANYI_DEPLOY_TOOLS/kubeconform-$KUBECONFORM_VERSION/kubeconform}"
K8S_SCHEMAS="${K8S_SCHEMAS:-$JIANYI_DEPLOY_TOOLS/k8s-schemas-$K8S_SCHEMAS_PACKAGE_VERSION}"
VERSITYGW_VERSION="${VERSITYGW_VERSION:-1.8.0}"
VERSITYGW_BIN="${VERSITYGW_BIN:-$JIANYI_CACHE/versitygw-$VERSITYGW_VERSION/versitygw}"

# JIANYI_PORT_OFFSET moves every port at once (e.g. a second clone running its own test stack).
if [ "$JIANYI_ENV" = test ]; then off=1000; else off=0; fi
off="${JIANYI_PORT_OFFSET:-$off}"
export JIANYI_PG_PORT="${JIANYI_PG_PORT:-$((55432 + off))}"
export JIANYI_KAFKA_PORT="${JIANYI_KAFKA_PORT:-$((59092 + off))}"
export JIANYI_KAFKA_CONTROLLER_PORT="${JIANYI_KAFKA_CONTROLLER_PORT:-$((59093 + off))}"
export JIANYI_TEMPORAL_PORT="${JIANYI_TEMPORAL_PORT:-$((57233 + off))}"
export JIANYI_TEMPORAL_UI_PORT="${JIANYI_TEMPORAL_UI_PORT:-$((57234 + off))}"
export JIANYI_TEMPORAL_HTTP_PORT="${JIANYI_TEMPORAL_HTTP_PORT:-$((57235 + off))}"
export JIANYI_TEMPORAL_METRICS_PORT="${JIANYI_TEMPORAL_METRICS_PORT:-$((57236 + off))}"
# The dev server's own Web UI, on loopback behind the read-only proxy on JIANYI_TEMPORAL_UI_PORT.
export JIANYI_TEMPORAL_UI_INTERNAL_PORT="${JIANYI_TEMPORAL_UI_INTERNAL_PORT:-$((57237 + off))}"
export JIANYI_API_PORT="${JIANYI_API_PORT:-$((3100 + off))}"
export JIANYI_TRACKER_PORT="${JIANYI_TRACKER_PORT:-$((3101 + off))}"
export JIANYI_WEB_PORT="${JIANYI_WEB_PORT:-$((3000 + off))}"
# Each process's operations port (/healthz, /readyz, /metrics) on loopback, and the Temporal SDK's own metrics.
export JIANYI_API_OPS_PORT="${JIANYI_API_OPS_PORT:-$((3110 + off))}"
export JIANYI_TRACKER_OPS_PORT="${JIANYI_TRACKER_OPS_PORT:-$((3111 + off))}"
export JIANYI_RELAY_OPS_PORT="${JIANYI_RELAY_OPS_PORT:-$((3112 + off))}"
export JIANYI_NOTIFIER_OPS_PORT="${JIANYI_NOTIFIER_OPS_PORT:-$((3113 + off))}"
export JIANYI_WORKER_OPS_PORT="${JIANYI_WORKER_OPS_PORT:-$((3114 + off))}"
export JIANYI_WEB_OPS_PORT="${JIANYI_WEB_OPS_PORT:-$((3116 + off))}"
export JIANYI_WORKER_SDK_METRICS_ADDRESS="${JIANYI_WORKER_SDK_METRICS_ADDRESS:-127.0.0.1:$((3115 + off))}"
# The notifier mails through this SMTP server (tests start a real one on loopback at this port).
export JIANYI_SMTP_HOST="${JIANYI_SMTP_HOST:-127.0.0.1}"
export JIANYI_SMTP_PORT="${JIANYI_SMTP_PORT:-$((2525 + off))}"
# Mailpit's web UI (dev stack only), where every mail the dev stack sends can be read.
export JIANYI_MAILPIT_UI_PORT="${JIANYI_MAILPIT_UI_PORT:-$((8125 + off))}"
# The S3-compatible object store (versitygw, posix backend) the attachments are kept in on the test
# stack; the dev stack runs it too but keeps attachments in a local folder (the embedded default)
# unless JIANYI_STORAGE=s3. Local keys only: the store listens on loopback.
export JIANYI_S3_PORT="${JIANYI_S3_PORT:-$((58400 + off))}"
export JIANYI_S3_ENDPOINT="${JIANYI_S3_ENDPOINT:-http://127.0.0.1:$JIANYI_S3_PORT}"
export JIANYI_S3_ACCESS_KEY="${JIANYI_S3_ACCESS_KEY:-jianyi-local}"
export JIANYI_S3_SECRET_KEY="${JIANYI_S3_SECRET_KEY:-jianyi-local-secret-$JIANYI_ENV}"
export JIANYI_S3_BUCKET="${JIANYI_S3_BUCKET:-jianyi-attachments}"
if [ "$JIANYI_ENV" = test ]; then export JIANYI_STORAGE="${JIANYI_STORAGE:-s3}"; fi
export JIANYI_TEMPORAL_NAMESPACE="${JIANYI_TEMPORAL_NAMESPACE:-jianyi}"
export JIANYI_PG_DATABASE="${JIANYI_PG_DATABASE:-jianyi}"
export JIANYI_KAFKA_TOPIC="${JIANYI_KAFKA_TOPIC:-suggestion.events}"

log() { printf '\033[1;34m[%s]\033[0m %s\n' "$1" "$2"; }
fail() { printf '\033[1;31m[%s] FAILED:\033[0m %s\n' "$1" "$2" >&2; [ -n "${3:-}" ] && [ -f "$3" ] && { echo "--- last lines of $3 ---" >&2; tail -n 30 "$3" >&2; }; exit 1; }

# wait_for NAME SECONDS LOGFILE PIDFILE COMMAND...: poll a real health check until it passes;
# fail at once if the process (PIDFILE, or - for none) has exited.
wait_for() {
  local name=$1 secs=$2 logf=$3 pidf=$4; shift 4
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && fail "$name" "did not answer within ${secs}s (log: $logf)" "$logf"
    [ "$pidf" = - ] || pid_alive "$pidf" || fail "$name" "process exited (log: $logf)" "$logf"
    sleep 0.5
  done
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
mkdir -p "$JIANYI_DATA" "$JIANYI_LOGS" "$JIANYI_RUN" "$JIANYI_CACHE"
