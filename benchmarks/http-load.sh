#!/usr/bin/env bash
# HTTP load comparison (issue #11): one app with an open endpoint, one behind TokenAuthority's scheme and one behind
# stock JwtBearer (same key, issuer, audience), loaded by wrk on loopback, first with the same token on every
# request, then with a new token on every request. Writes benchmarks/results/http-load.tsv and prints a table.
#   benchmarks/http-load.sh                      (ES256, 10 s per case, 2 threads, 32 connections)
#   ALG=RS256 DURATION=20s benchmarks/http-load.sh
# Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
ALG=${ALG:-ES256}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
FRESH=${FRESH:-160000}
OUT=${OUT:-benchmarks/results/http-load.tsv}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

dotnet build benchmarks/TokenAuthority.LoadHost -c Release -v quiet -nologo >/dev/null
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
dotnet benchmarks/TokenAuthority.LoadHost/bin/Release/net10.0/TokenAuthority.LoadHost.dll --urls "http://127.0.0.1:$port" --alg "$ALG" >"$work/host.log" 2>&1 &
host=$!
trap 'kill $host 2>/dev/null || true; wait $host 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/open" >/dev/null 2>&1 && break
  sleep 0.2
done

curl -fs "http://127.0.0.1:$port/tokens/1" >"$work/same.txt"
curl -fs --max-time 600 "http://127.0.0.1:$port/tokens/5000" >"$work/warm.txt"
echo "issuing $FRESH tokens for the token-per-request cases..." >&2
curl -fs --max-time 600 "http://127.0.0.1:$port/tokens/$FRESH" >"$work/fresh.txt"

run() { # name path tokens-file
  local name=$1 path=$2 tokens=$3 out
  out=$(TOKENS="$tokens" THREADS="$THREADS" WRK_PATH="$path" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s benchmarks/http-load.lua "http://127.0.0.1:$port$path")
  local rps p50 p99 requests errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$rps" "$p50" "$p99" "$requests" "${errors:-0}"
}

# Warm-up (JIT tiers of both paths, connection pools), not recorded; the warm-up's fresh tokens are not measured.
for path in /open /ours /jwt; do
  for tokens in same warm; do
    TOKENS="$work/$tokens.txt" THREADS="$THREADS" WRK_PATH=$path wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s benchmarks/http-load.lua "http://127.0.0.1:$port$path" >/dev/null
  done
done

mkdir -p "$(dirname "$OUT")"
{
  printf 'case\tpath\trequests_per_s\tp50\tp99\trequests\tnon_2xx\n'
  run "open" /open "$work/same.txt"
  run "same token" /ours "$work/same.txt"
  run "same token" /jwt "$work/same.txt"
  run "token per request" /ours "$work/fresh.txt"
  run "token per request" /jwt "$work/fresh.txt"
} | tee "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) ALG=$ALG DURATION=$DURATION THREADS=$THREADS CONNECTIONS=$CONNECTIONS FRESH=$FRESH"
  echo "# $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} >>"$OUT"
awk -F'\t' -v fresh="$FRESH" 'NR > 1 && $1 == "token per request" && $6 > fresh {print "note: " $2 " sent " $6 " requests with " fresh " tokens: some tokens were sent twice" > "/dev/stderr"}' "$OUT"
