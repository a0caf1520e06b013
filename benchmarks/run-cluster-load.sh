#!/usr/bin/env bash
# Cluster load (issue #13): samples/cluster/run.sh (PostgreSQL, three Authority replicas, the YARP balancer) in a temp
# directory on a free port, then TokenAuthority.ClusterLoad through the balancer: 32 clients issue+verify (TokenRequest
# bound to a pod, then TokenReview of it) for 30 s, a warm-up (each pod's token reviewed on each replica), then warm
# verification (TokenReview of reviewed tokens only) for 30 s. pg_stat_statements is read before each phase, so the
# objects-table queries are counted per phase. Stops the cluster with Ctrl-C (SIGINT), writes
# benchmarks/results/cluster-load.tsv and prints it.
#   benchmarks/run-cluster-load.sh
#   CLIENTS=64 DURATION=10s PODS=100 benchmarks/run-cluster-load.sh
#   NO_BUILD=1 benchmarks/run-cluster-load.sh     (the samples and ClusterLoad are built in Release already)
#
# The replicas run with the TokenRequest rate limit lifted (TokensPerPeriod and TokenLimit 100000): it is per caller
# (200 burst, 100/s per replica by default) and every request here is the one admin's, so with the defaults the
# issue+verify phase would measure the limiter's 429s instead of the cluster.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
CLIENTS=${CLIENTS:-32}
DURATION=${DURATION:-30s}
PODS=${PODS:-32}
OUT=${OUT:-benchmarks/results/cluster-load.tsv}
load_dll=benchmarks/TokenAuthority.ClusterLoad/bin/Release/net10.0/TokenAuthority.ClusterLoad.dll

if [ -z "${NO_BUILD:-}" ]; then
  echo "building the Authority, the balancer and ClusterLoad (Release)..." >&2
  for p in samples/Authority/Authority.csproj samples/cluster/LoadBalancer/LoadBalancer.csproj benchmarks/TokenAuthority.ClusterLoad/TokenAuthority.ClusterLoad.csproj; do
    dotnet build "$p" -c Release -v quiet -nologo >/dev/null
  done
fi

# The cluster's directory must be reachable by the postgres user (run.sh checks): a temp directory under /tmp.
work=$(mktemp -d -t tokenauthority-cluster-load-XXXXXX)
chmod 755 "$work"
dir=$work/cluster
ephemeral=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
port=""
for _ in $(seq 1 200); do
  p=$((10000 + (RANDOM * 32768 + RANDOM) % (ephemeral - 10000)))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }

cluster=""
stop_cluster() {
  if [ -n "$cluster" ] && kill -0 "$cluster" 2>/dev/null; then
    kill -INT "$cluster" 2>/dev/null || true # run.sh's Ctrl-C: stops the replicas, the balancer and PostgreSQL
    for _ in $(seq 1 600); do kill -0 "$cluster" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$cluster" 2>/dev/null || true
  fi
  [ -n "$cluster" ] && { wait "$cluster" 2>/dev/null || true; }
  cluster=""
}
trap 'stop_cluster; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "starting the cluster (run.sh --dir $dir --port $port)..." >&2
bash samples/cluster/run.sh --no-build --dir "$dir" --port "$port" -- \
  --TokenAuthority:Endpoints:TokenRequestRateLimit:TokensPerPeriod 100000 \
  --TokenAuthority:Endpoints:TokenRequestRateLimit:TokenLimit 100000 >"$work/run.log" 2>&1 &
cluster=$!
for _ in $(seq 1 1800); do
  grep -q "Ctrl-C stops everything." "$work/run.log" && break
  kill -0 "$cluster" 2>/dev/null || { cat "$work/run.log" >&2; echo "run.sh exited" >&2; exit 1; }
  sleep 0.1
done
grep -q "Ctrl-C stops everything." "$work/run.log" || { cat "$work/run.log" >&2; echo "the cluster was not ready within 3 minutes" >&2; exit 1; }
# shellcheck disable=SC1091
. "$dir/cluster.env"

# pg_stat_statements: the objects-table queries every replica made (the filter RunningCluster.ObjectQueriesAsync uses),
# and the balancer's /readyz probes (one "SELECT 1 FROM key_ring" each, which nothing else runs). A probe also reads the
# objects table (the object store's ping and the resolver's health check): an idle window first says how many times.
cat >"$work/snapshot.sh" <<SNAPSHOT
#!/usr/bin/env bash
set -euo pipefail
counts=\$(PGPASSWORD=\$(cat "$dir/pg.password") "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U tokenauthority -d tokenauthority -tA -F \$'\\t' -c \
  "SELECT coalesce(sum(calls) FILTER (WHERE query ILIKE '%objects%'), 0)::bigint, coalesce(sum(calls) FILTER (WHERE query ILIKE '%key_ring LIMIT%'), 0)::bigint FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'")
printf '%s\t%s\n' "\$1" "\$counts" >>"$work/snapshots.tsv"
SNAPSHOT
chmod +x "$work/snapshot.sh"
PGPASSWORD=$(cat "$dir/pg.password") "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U tokenauthority -d tokenauthority -qtAc "SELECT pg_stat_statements_reset()" >/dev/null
"$work/snapshot.sh" idle-start
sleep 5
"$work/snapshot.sh" idle-end

replica_args=()
for u in $REPLICA_URLS; do replica_args+=(--replica "$u"); done
rc=0
dotnet "$load_dll" --url "$ISSUER" --ca "$dir/replica-1/tls.crt" --admin-token-file "$dir/replica-1/admin.token" \
  --clients "$CLIENTS" --duration "$DURATION" --pods "$PODS" "${replica_args[@]}" --snapshot-command "$work/snapshot.sh" \
  | tee "$work/load.log" || rc=$?
top_queries=$(PGPASSWORD=$(cat "$dir/pg.password") "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U tokenauthority -d tokenauthority -tAF $'\t' -c \
  "SELECT calls, left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY calls DESC LIMIT 6")
stop_cluster
grep -q "stopped;" "$work/run.log" || echo "warning: run.sh did not report stopping" >&2

# Objects-table queries per phase (snapshot before it, minus the one before the next), less the readiness probes' share.
col() { awk -F'\t' -v k="$1" -v c="$2" '$1 == k {print $c}' "$work/snapshots.tsv"; }
objects() { echo $(( $(col "$2" 2) - $(col "$1" 2) )); }
probes() { echo $(( $(col "$2" 3) - $(col "$1" 3) )); }
reviews() { awk -F'\t' -v ph="$1" '$1 == "tsv" && $2 == ph && $3 == "TokenReview" {print $6}' "$work/load.log"; }
requests() { awk -F'\t' -v ph="$1" '$1 == "tsv" && $2 == ph && $3 == "TokenRequest" {print $6}' "$work/load.log"; }
per() { awk -v q="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.4f", q / n; else print "n/a" }'; }
idle_objects=$(objects idle-start idle-end); idle_probes=$(probes idle-start idle-end)
per_probe=$(( idle_probes > 0 ? idle_objects / idle_probes : 0 ))
phase_line() { # name from to reviews [token-requests]
  local o p v
  o=$(objects "$2" "$3"); p=$(probes "$2" "$3"); v=$(( o - p * per_probe - 2 * ${5:-0} ))
  echo "#   $1: $o objects-table queries; $p readiness probes x $per_probe = $(( p * per_probe ));${5:+ $5 TokenRequests x 2 (service account + pod: issuing always asks) = $(( 2 * $5 ));} left for $4 TokenReviews: $v ($(per "$v" "$4") per review)"
}
r_issue=$(reviews issue+verify); t_issue=$(requests issue+verify); r_warmup=$(reviews warm-up); r_warm=$(reviews warm-verify)
all_o=$(objects issue+verify end); all_p=$(probes issue+verify end)
all_v=$(( all_o - all_p * per_probe - 2 * t_issue ))

mkdir -p "$(dirname "$OUT")"
{
  printf 'phase\toperation\tclients\tseconds\trequests\tper_second\tp50_ms\tp99_ms\tmax_ms\terrors\twrong_answers\n'
  awk -F'\t' '$1 == "tsv" && $2 != "phase" { sub(/^tsv\t/, ""); print }' "$work/load.log"
  echo "# objects-table queries (pg_stat_statements, all replicas); idle for 5 s first: $idle_objects queries, $idle_probes /readyz probes of the balancer ($per_probe per probe)"
  phase_line issue+verify issue+verify warm-up "$r_issue" "$t_issue"
  phase_line warm-up warm-up warm-verify "$r_warmup"
  phase_line warm-verify warm-verify end "$r_warm"
  echo "#   whole run: $all_o queries; probes $(( all_p * per_probe )), TokenRequests $(( 2 * t_issue )); left for $(( r_issue + r_warmup + r_warm )) TokenReviews: $all_v ($(per "$all_v" $(( r_issue + r_warmup + r_warm ))) per review)"
  echo "# most frequent statements:"
  while IFS=$'\t' read -r calls query; do [ -n "$calls" ] && echo "#   $calls  $query"; done <<<"$top_queries"
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) CLIENTS=$CLIENTS DURATION=$DURATION PODS=$PODS, $(grep -o 'HTTP/[^,]*connections)\|HTTP/2' "$work/load.log" | head -1), 3 replicas + YARP + PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on this machine, exit code $rc"
  echo "# $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT"
echo
cat "$OUT"
exit "$rc"
