#!/usr/bin/env bash
# CI's check of `make prod-local`: start it, then with the production settings it must serve
# the login page (200), a static file under its hashed name (WhiteNoise, cached for a year),
# a 404 without Django's debug page, and a ready /health/ready/; then stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PROD_LOCAL_PORT:-8100}
base="http://127.0.0.1:$port"
log=$(mktemp)

# Two gunicorn workers are enough for the check and keep it quick on a 2-core machine.
WEB_CONCURRENCY=2 setsid make prod-local PROD_LOCAL_PORT="$port" >"$log" 2>&1 &
group=$!
stop() { kill -TERM -- "-$group" 2>/dev/null || true; wait "$group" 2>/dev/null || true; }
trap stop EXIT
fail() { echo "prod-local check failed: $*" >&2; tail -n 40 "$log" >&2; exit 1; }

for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "$base/health/live/" 2>/dev/null && break
    kill -0 "$group" 2>/dev/null || fail "make prod-local stopped"
    sleep 0.5
done

login=$(curl -sS -w '\n%{http_code}' "$base/account/inloggen/")
[ "$(tail -n 1 <<<"$login")" = 200 ] || fail "login page: $(tail -n 1 <<<"$login")"
css=$(grep -oE '/static/[^"]+\.[0-9a-f]{12}\.css' <<<"$login" | head -n 1)
[ -n "$css" ] || fail "the login page links no hashed stylesheet"
headers=$(curl -sS -D - -o /dev/null -H 'Accept-Encoding: gzip' "$base$css")
grep -q '^HTTP/1.1 200' <<<"$headers" || fail "$css: $(head -n 1 <<<"$headers")"
grep -qi '^cache-control:.*immutable' <<<"$headers" || fail "$css is not cached as immutable"
grep -qi '^content-encoding: gzip' <<<"$headers" || fail "$css is not served compressed"
missing=$(curl -sS -w '\n%{http_code}' "$base/no-such-page/")
[ "$(tail -n 1 <<<"$missing")" = 404 ] || fail "a missing page: $(tail -n 1 <<<"$missing")"
! grep -q "URLconf" <<<"$missing" || fail "DEBUG is on: Django's debug page was shown"
ready=$(curl -sS -o /dev/null -w '%{http_code}' "$base/health/ready/")
[ "$ready" = 200 ] || fail "readiness: $ready ($(curl -sS "$base/health/ready/"))"
grep -q '"level": "INFO"' "$log" || fail "no JSON log lines"
echo "prod-local: login 200, $css hashed, compressed and immutable, 404 without debug, ready 200"
