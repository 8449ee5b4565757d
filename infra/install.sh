#!/usr/bin/env bash
# Installs every tool the stack needs, once per machine; each step is skipped when already present.
set -euo pipefail
source "$(dirname "$0")/env.sh"

apt_updated=0
apt_install() {
  [ $apt_updated = 1 ] || { log apt "apt-get update"; apt-get update -qq >"$JIANYI_LOGS/apt.log" 2>&1 || fail apt "apt-get update" "$JIANYI_LOGS/apt.log"; apt_updated=1; }
  log apt "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$JIANYI_LOGS/apt.log" 2>&1 || fail apt "apt-get install $*" "$JIANYI_LOGS/apt.log"
}

# `infra/install.sh deploy-tools` (run by infra/check-deploy.sh): helm and kubeconform from their Go
# modules, and the Kubernetes JSON schemas (offline: kubeconform cannot download them here) from the
# kubernetes-validate package; each only when missing. Not part of the stack's install.
deploy_tools() {
  go_tool() { # go_tool NAME BIN MODULE@VERSION
    [ -x "$2" ] && return 0
    log "$1" "building $3 with go install (a few minutes the first time)"
    mkdir -p "$(dirname "$2")"
    (cd /tmp && GOBIN="$(dirname "$2")" GOFLAGS=-mod=mod go install "$3") >"$JIANYI_LOGS/$1-build.log" 2>&1 ||
      fail "$1" "go install $3" "$JIANYI_LOGS/$1-build.log"
  }
  go_tool helm "$HELM_BIN" "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
  go_tool kubeconform "$KUBECONFORM_BIN" "github.com/yannh/kubeconform/cmd/kubeconform@v$KUBECONFORM_VERSION"
  if [ ! -d "$K8S_SCHEMAS" ]; then
    log kubeconform "fetching Kubernetes JSON schemas (kubernetes-validate $K8S_SCHEMAS_PACKAGE_VERSION, PyPI)"
    command -v pip3 >/dev/null || python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    tmp=$(mktemp -d)
    python3 -m pip download -q --no-deps -d "$tmp" "kubernetes-validate==$K8S_SCHEMAS_PACKAGE_VERSION" >"$JIANYI_LOGS/k8s-schemas.log" 2>&1 ||
      fail kubeconform "pip download kubernetes-validate" "$JIANYI_LOGS/k8s-schemas.log"
    # kubeconform needs standalone schemas: each kind's schema with the definitions it reaches inlined.
    python3 - "$tmp"/kubernetes_validate-*.whl "$K8S_SCHEMAS.part" "v$K8S_VERSION-local-strict" <<'PY' >>"$JIANYI_LOGS/k8s-schemas.log" 2>&1 ||
import json, os, re, sys, zipfile
wheel, out, version = sys.argv[1:4]
base = f'kubernetes_validate/kubernetes-json-schema/{version}/'
z = zipfile.ZipFile(wheel)
fix = lambda t: t.replace('"/api/_definitions.json#/$defs/', '"#/$defs/').replace('"_definitions.json#/$defs/', '"#/$defs/')
defs = json.loads(fix(z.read(base + '_definitions.json').decode()))['$defs']
os.makedirs(out, exist_ok=True)
for name in z.namelist():
    if not name.startswith(base) or not name.endswith('.json') or '/_' in name or name.endswith('/all.json'):
        continue
    text = fix(z.read(name).decode())
    schema, seen, todo = json.loads(text), set(), re.findall(r'"#/\$defs/([^"]+)"', text)
    while todo:
        d = todo.pop()
        if d in seen or d not in defs:
            continue
        seen.add(d)
        todo += re.findall(r'"#/\$defs/([^"]+)"', json.dumps(defs[d]))
    schema['$defs'] = {d: defs[d] for d in seen}
    with open(os.path.join(out, os.path.basename(name)), 'w') as f:
        json.dump(schema, f)
PY
      fail kubeconform "building standalone schemas" "$JIANYI_LOGS/k8s-schemas.log"
    mv "$K8S_SCHEMAS.part" "$K8S_SCHEMAS" && rm -rf "$tmp"
  fi
}
if [ "${1:-}" = deploy-tools ]; then
  deploy_tools
  exit 0
fi

# PostgreSQL server from Debian's packages.
[ -x "$PG_BIN/postgres" ] || apt_install "postgresql-$PG_VERSION"
# RUM (postgresql-NN-rum): an index that returns a keyword search's best-ranked matches straight from the
# index (migration RumSearch1796640000000; without it search falls back to GIN and ranks every match).
[ -f "/usr/share/postgresql/$PG_VERSION/extension/rum.control" ] || apt_install "postgresql-$PG_VERSION-rum"
# Chromium for the end-to-end tests (playwright-core drives it), with CJK fonts for screenshots.
command -v chromium >/dev/null || apt_install chromium fonts-noto-cjk
# Poppler's tools: the tests read the printed PDFs back (text, fonts, a PNG of each first page).
command -v pdftoppm >/dev/null || apt_install poppler-utils
# The printed documents embed Noto Serif CJK (config.pdf).
[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || apt_install fonts-noto-cjk
# Java 17 for Kafka, Go for the Temporal CLI, Maven for the Kafka jars.
command -v java >/dev/null || apt_install openjdk-17-jre-headless
command -v mvn >/dev/null || apt_install maven
command -v go >/dev/null || apt_install golang

# Temporal CLI (dev server) built from its Go module.
if [ ! -x "$TEMPORAL_BIN" ]; then
  log temporal "building temporal CLI v$TEMPORAL_VERSION with go install (a few minutes the first time)"
  mkdir -p "$(dirname "$TEMPORAL_BIN")"
  (cd /tmp && GOBIN="$(dirname "$TEMPORAL_BIN")" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_VERSION") \
    >"$JIANYI_LOGS/temporal-build.log" 2>&1 || fail temporal "go install of the temporal CLI" "$JIANYI_LOGS/temporal-build.log"
fi

# Mailpit (the dev stack's mail catcher with a web UI) built from its Go module.
if [ ! -x "$MAILPIT_BIN" ]; then
  log mailpit "building Mailpit v$MAILPIT_VERSION with go install (a minute or two the first time)"
  mkdir -p "$(dirname "$MAILPIT_BIN")"
  (cd /tmp && GOBIN="$(dirname "$MAILPIT_BIN")" GOFLAGS=-mod=mod go install "github.com/axllent/mailpit@v$MAILPIT_VERSION") \
    >"$JIANYI_LOGS/mailpit-build.log" 2>&1 || fail mailpit "go install of Mailpit" "$JIANYI_LOGS/mailpit-build.log"
fi

# versitygw (Versity S3 Gateway, Apache-2.0): the S3-compatible object store of the stacks, built
# from its Go module; its posix backend keeps objects as files under .data/<env>/s3.
if [ ! -x "$VERSITYGW_BIN" ]; then
  log s3 "building versitygw v$VERSITYGW_VERSION with go install (a few minutes the first time)"
  mkdir -p "$(dirname "$VERSITYGW_BIN")"
  (cd /tmp && GOBIN="$(dirname "$VERSITYGW_BIN")" GOFLAGS=-mod=mod go install "github.com/versity/versitygw/cmd/versitygw@v$VERSITYGW_VERSION") \
    >"$JIANYI_LOGS/versitygw-build.log" 2>&1 || fail s3 "go install of versitygw" "$JIANYI_LOGS/versitygw-build.log"
fi

# Kafka broker jars from Maven Central.
if [ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]; then
  log kafka "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  mvn -q -B -f "$JIANYI_ROOT/infra/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS" >"$JIANYI_LOGS/kafka-fetch.log" 2>&1 || fail kafka "mvn dependency:copy-dependencies" "$JIANYI_LOGS/kafka-fetch.log"
fi

# pnpm and the workspace's packages.
if ! command -v pnpm >/dev/null; then
  log pnpm "installing pnpm"
  npm install -g pnpm@9.15.9 >"$JIANYI_LOGS/pnpm-install.log" 2>&1 || fail pnpm "npm install -g pnpm" "$JIANYI_LOGS/pnpm-install.log"
fi
log pnpm "pnpm install"
(cd "$JIANYI_ROOT" && pnpm install --frozen-lockfile --reporter=silent) >"$JIANYI_LOGS/pnpm.log" 2>&1 || fail pnpm "pnpm install" "$JIANYI_LOGS/pnpm.log"
log install "all tools present"
