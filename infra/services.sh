#!/usr/bin/env bash
# Starts, stops and reports the project's own processes: worker, relay, api, tracker, notifier, web.
# Usage: infra/services.sh start|stop|status [name ...]
set -euo pipefail
source "$(dirname "$0")/env.sh"
# The services run compiled (dist/, built by infra/build.ts: `pnpm build`, run by ./dev before it starts them).
DIST="$JIANYI_ROOT/dist"
ALL=(worker relay notifier tracker api web)

entry() { echo "$DIST/$1.js"; }
# Every process answers /readyz on its operations port (platform/src/ops.ts), the web app too.
ready_check() { local var="JIANYI_${1^^}_OPS_PORT"; curl -fsS "http://127.0.0.1:${!var}/readyz"; }
start_one() {
  local name=$1 pidf="$JIANYI_RUN/$1.pid" logf="$JIANYI_LOGS/$1.log"
  if pid_alive "$pidf"; then log "$name" "already running"; return; fi
  : >"$logf"; rm -f "$pidf"
  if [ "$name" = web ]; then
    [ -f "$JIANYI_ROOT/web/build/handler.js" ] || fail web "web/build missing; run: pnpm --filter @jianyi/web build"
    [ -f "$(entry web)" ] || fail web "$(entry web) missing; run: pnpm build"
    # dist/web.js: SvelteKit's handler on JIANYI_WEB_PORT plus the operations port (JIANYI_WEB_OPS_PORT).
    # BODY_SIZE_LIMIT: the proxy hook refuses large bodies itself with a problem document (413).
    (cd "$JIANYI_ROOT" && NODE_ENV=production BODY_SIZE_LIMIT=Infinity ORIGIN="http://127.0.0.1:$JIANYI_WEB_PORT" \
      JIANYI_API_URL="http://127.0.0.1:$JIANYI_API_PORT" JIANYI_TRACKER_URL="http://127.0.0.1:$JIANYI_TRACKER_PORT" \
      setsid bash -c 'echo $$ >"$0"; exec node --enable-source-maps "$1"' "$pidf" "$(entry web)" >>"$logf" 2>&1 </dev/null &)
  else
    [ -f "$(entry "$name")" ] || fail "$name" "$(entry "$name") missing; run: pnpm build"
    # Production mode for the HTTP services (no framework error pages); the worker loads the workflow
    # bundle built with it (dist/workflow-bundle.js) instead of bundling on start.
    local mode=production; [ "$name" = worker ] && mode="${NODE_ENV:-}"
    (cd "$JIANYI_ROOT" && NODE_ENV=$mode JIANYI_APP_NAME="jianyi-$name" JIANYI_WORKFLOW_BUNDLE="$DIST/workflow-bundle.js" \
      setsid bash -c 'echo $$ >"$0"; exec node --enable-source-maps "$1"' "$pidf" "$(entry "$name")" >>"$logf" 2>&1 </dev/null &)
  fi
  # The child writes its own pid (setsid may fork); wait for it.
  for _ in $(seq 1 40); do [ -s "$pidf" ] && break; sleep 0.05; done
}

cmd=${1:-status}; shift || true
names=("$@"); [ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
case $cmd in
  start)
    for n in "${names[@]}"; do start_one "$n"; done
    for n in "${names[@]}"; do wait_for "$n" 90 "$JIANYI_LOGS/$n.log" "$JIANYI_RUN/$n.pid" ready_check "$n"; log "$n" "ready"; done ;;
  stop)
    for n in "${names[@]}"; do
      f="$JIANYI_RUN/$n.pid"
      if pid_alive "$f"; then p=$(cat "$f"); kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
        kill -KILL -- "-$p" 2>/dev/null || true; fi
      rm -f "$f"
    done; log services "stopped ${names[*]}" ;;
  status)
    for n in "${names[@]}"; do if pid_alive "$JIANYI_RUN/$n.pid"; then printf '%-9s up\n' "$n"; else printf '%-9s down\n' "$n"; fi; done ;;
  *) echo "usage: $0 start|stop|status [name ...]"; exit 2 ;;
esac
