#!/usr/bin/env bash
# A token authority cluster on this machine, with one command: a private PostgreSQL, three Authority replicas that
# share it, and a YARP load balancer in front of them. Ctrl-C stops everything it started. See docs/cluster.md.
#
#   samples/cluster/run.sh [--replicas N] [--port PORT] [--dir DIR] [--no-build] [-- AUTHORITY_SETTINGS…]
#
#   --replicas N   how many Authority replicas (3)
#   --port PORT    the load balancer's port on 127.0.0.1 (9443)
#   --dir DIR      keep the cluster (database, keys, tokens) in DIR and reuse it next time; default: a temp directory
#                  that is deleted when the cluster stops
#   --probe-interval TIME  how often the balancer probes each replica's /readyz (00:00:01)
#   --configuration C  the build configuration to run (Release)
#   --no-build     run what is built already (the tests do)
#   -- …           further settings for every replica, e.g. -- --TokenAuthority:Keys:JwksMaxAge 00:00:10
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
replicas=3
lb_port=9443
dir=""
configuration=Release
probe_interval=00:00:01
build=true
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas=$2; shift 2 ;;
    --port) lb_port=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --configuration) configuration=$2; shift 2 ;;
    --probe-interval) probe_interval=$2; shift 2 ;;
    --no-build) build=false; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument \"$1\" (see --help)" >&2; exit 2 ;;
  esac
done
case "$replicas" in ''|*[!0-9]*|0) echo "run.sh: --replicas must be a positive number" >&2; exit 2 ;; esac

say() { printf '[cluster] %s\n' "$*"; }
die() { printf '[cluster] cannot start: %s\n' "$*" >&2; exit 1; }

# --- What it needs: the .NET SDK, curl, and PostgreSQL from Debian's package (installed here when missing). ---
command -v dotnet >/dev/null || die "the .NET 10 SDK is not on PATH"
command -v curl >/dev/null || die "curl is not installed (apt-get install curl)"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing PostgreSQL (apt-get install postgresql)…"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null; } \
    || die "PostgreSQL is not installed and apt-get could not install it (apt-get install postgresql)"
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# --- Where it lives. ---
keep=true
if [ -z "$dir" ]; then
  dir=$(mktemp -d -t tokenauthority-cluster-XXXXXX)
  keep=false
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$dir" # the postgres user must reach its data directory below it
  runuser -u postgres -- test -x "$dir" || die "the postgres user cannot reach $dir (a parent directory is private): pass a --dir under /tmp or /var/tmp"
fi

# The server refuses to run as root: as root, PostgreSQL runs as the package's unprivileged user "postgres".
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pids=()
names=()
stopping=false
stop_all() {
  $stopping && return
  stopping=true
  # A second Ctrl-C (or a signal to the whole process group) must not cut the clean-up short and orphan processes.
  trap '' INT TERM
  trap - EXIT
  say "stopping…"
  for i in "${!pids[@]}"; do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for i in "${!pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pids[$i]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ -f "$dir/pg/postmaster.pid" ]; then as_pg "$pgbin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  if $keep; then say "stopped; the cluster is kept in $dir"; else rm -rf "$dir"; say "stopped; $dir removed"; fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# A port below the kernel's ephemeral range (which outgoing connections take from), not answering on 127.0.0.1.
ephemeral=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((10000 + (RANDOM * 32768 + RANDOM) % (ephemeral - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}
if (exec 3<>"/dev/tcp/127.0.0.1/$lb_port") 2>/dev/null; then die "port $lb_port is in use: pass another --port"; fi

# --- Build once, then start the assemblies (dotnet run would build per process). ---
if $build; then
  say "building the Authority and the load balancer…"
  dotnet build "$repo/samples/Authority/Authority.csproj" -c "$configuration" -v q -nologo >"$dir/build.log" 2>&1 \
    && dotnet build "$repo/samples/cluster/LoadBalancer/LoadBalancer.csproj" -c "$configuration" -v q -nologo >>"$dir/build.log" 2>&1 \
    || { cat "$dir/build.log" >&2; die "the build failed (log above)"; }
fi
authority_dll="$repo/samples/Authority/bin/$configuration/net10.0/Authority.dll"
balancer_dll="$repo/samples/cluster/LoadBalancer/bin/$configuration/net10.0/LoadBalancer.dll"
[ -f "$authority_dll" ] && [ -f "$balancer_dll" ] || die "$authority_dll or $balancer_dll is not built (run without --no-build)"

# --- PostgreSQL: a private cluster, loopback only, password authentication. ---
pg_port=$(free_port)
pg_options="-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_preload_libraries=pg_stat_statements"
if [ ! -f "$dir/pg/PG_VERSION" ]; then
  say "creating a PostgreSQL cluster in $dir/pg…"
  rm -rf "$dir/pg" && mkdir -p "$dir/pg"
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/pg.password"
  chmod 600 "$dir/pg.password"
  cp "$dir/pg.password" "$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir/pg" "$dir/pwfile"; fi
  as_pg "$pgbin/initdb" -D "$dir/pg" -U tokenauthority --pwfile="$dir/pwfile" -A scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
    || { rm -f "$dir/pwfile"; cat "$dir/initdb.log" >&2; die "initdb failed (log above)"; }
  rm -f "$dir/pwfile"
fi
if [ "$(id -u)" -eq 0 ]; then touch "$dir/postgresql.log" && chown postgres "$dir/postgresql.log"; fi
as_pg "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/postgresql.log" -w \
  -o "$pg_options" start >/dev/null \
  || { tail -20 "$dir/postgresql.log" >&2; die "PostgreSQL did not start (log above)"; }
export PGPASSWORD
PGPASSWORD=$(cat "$dir/pg.password")
if ! "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U tokenauthority -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'tokenauthority'" | grep -q 1; then
  "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U tokenauthority tokenauthority
  # What each replica asks of the database, for whoever wants to look (SELECT query, calls FROM pg_stat_statements).
  "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U tokenauthority -d tokenauthority -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
fi
unset PGPASSWORD
connection="Host=127.0.0.1;Port=$pg_port;Username=tokenauthority;Password=$(cat "$dir/pg.password");Database=tokenauthority"
say "PostgreSQL listens on 127.0.0.1:$pg_port (database tokenauthority)"

# --- The replicas: one issuer (the balancer's URL), one database, one set of Data Protection keys. ---
issuer="https://127.0.0.1:$lb_port"
mkdir -p "$dir/dataprotection-keys" && chmod 700 "$dir/dataprotection-keys"
ports=()
start_replica() {
  local n=$1 port=$2
  mkdir -p "$dir/replica-$n"
  dotnet "$authority_dll" --contentRoot "$(dirname "$authority_dll")" --urls "https://127.0.0.1:$port" --DataDirectory "$dir/replica-$n" \
    --Storage:Provider PostgreSql --Storage:ConnectionString "$connection" --Storage:DataProtectionKeys "$dir/dataprotection-keys" \
    --TokenAuthority:Issuer "$issuer" ${extra[@]+"${extra[@]}"} >"$dir/replica-$n.log" 2>&1 &
  pids+=($!)
  names+=("replica-$n")
}
wait_ready() { # name pid url
  for _ in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || { tail -20 "$dir/$1.log" >&2; die "$1 exited (log above, $dir/$1.log)"; }
    curl -fsS --cacert "$dir/replica-1/tls.crt" "$3/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "$1 was not ready within 60 s ($dir/$1.log)"
}

# The first replica makes the serving certificate, the admin and reviewer tokens and (with the schema and the first
# key) the Data Protection key; the others start with copies, so the balancer and kubectl see one cluster.
ports+=("$(free_port)")
start_replica 1 "${ports[0]}"
say "starting replica-1 on https://127.0.0.1:${ports[0]}…"
for _ in $(seq 1 600); do [ -f "$dir/replica-1/tls.crt" ] && break; sleep 0.1; done
wait_ready replica-1 "${pids[0]}" "https://127.0.0.1:${ports[0]}"
for n in $(seq 2 "$replicas"); do
  mkdir -p "$dir/replica-$n" && chmod 700 "$dir/replica-$n"
  for f in tls.crt tls.key admin.token reviewer.token; do cp -p "$dir/replica-1/$f" "$dir/replica-$n/$f"; done
  ports+=("$(free_port)")
  start_replica "$n" "${ports[$((n - 1))]}"
  say "starting replica-$n on https://127.0.0.1:${ports[$((n - 1))]}…"
done
for n in $(seq 2 "$replicas"); do wait_ready "replica-$n" "${pids[$((n - 1))]}" "https://127.0.0.1:${ports[$((n - 1))]}"; done

# --- The load balancer. ---
backends=()
for i in "${!ports[@]}"; do backends+=(--Backends:$i "https://127.0.0.1:${ports[$i]}"); done
dotnet "$balancer_dll" --contentRoot "$(dirname "$balancer_dll")" --urls "$issuer" --Tls:CertificateFile "$dir/replica-1/tls.crt" --Tls:KeyFile "$dir/replica-1/tls.key" \
  --HealthCheckInterval "$probe_interval" "${backends[@]}" >"$dir/loadbalancer.log" 2>&1 &
pids+=($!)
names+=(loadbalancer)
wait_ready loadbalancer "${pids[-1]}" "$issuer"

# --- A kubeconfig for the balancer, and what to type. ---
ca=$(base64 -w0 <"$dir/replica-1/tls.crt")
admin=$(cat "$dir/replica-1/admin.token")
umask 077
cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: tokenauthority-cluster
  cluster:
    server: $issuer
    certificate-authority-data: $ca
users:
- name: admin
  user:
    token: $admin
contexts:
- name: tokenauthority-cluster
  context:
    cluster: tokenauthority-cluster
    user: admin
    namespace: default
current-context: tokenauthority-cluster
EOF
{
  echo "ISSUER=$issuer"
  echo "PG_PORT=$pg_port"
  echo "PG_BIN=$pgbin"
  echo "PG_START_OPTIONS=\"$pg_options\""
  echo "REPLICA_URLS=\"$(printf 'https://127.0.0.1:%s ' "${ports[@]}" | sed 's/ $//')\""
  echo "PIDS=\"${pids[*]}\""
} >"$dir/cluster.env"

cat <<EOF
[cluster] ready: $replicas replicas behind $issuer (YARP), PostgreSQL on 127.0.0.1:$pg_port
[cluster] files: $dir (kubeconfig, cluster.env, replica-N.log, loadbalancer.log, postgresql.log)

  export KUBECONFIG=$dir/kubeconfig
  kubectl create token default --audience orders --duration 10m      # TokenRequest, through the balancer
  kubectl get --raw /openid/v1/jwks                                   # the ring every replica publishes
  kubectl create serviceaccount builder && kubectl get serviceaccounts  # the objects API, through the balancer

  ca=$dir/replica-1/tls.crt admin=\$(cat $dir/replica-1/admin.token)
  curl -sS --cacert \$ca $issuer/.well-known/openid-configuration
  curl -sS --cacert \$ca -H "Authorization: Bearer \$admin" -H 'Content-Type: application/json' \\
       -X POST $issuer/api/v1/namespaces/default/pods -d '{"metadata":{"name":"web-0"}}'
  kubectl get pods
  TOKEN=\$(kubectl create token default --audience orders --bound-object-kind Pod --bound-object-name web-0)
  curl -sS --cacert \$ca -H "Authorization: Bearer \$admin" -H 'Content-Type: application/json' \\
       -X POST $issuer/apis/authentication.k8s.io/v1/tokenreviews \\
       -d "{\"spec\":{\"token\":\"\$TOKEN\",\"audiences\":[\"orders\"]}}"
  curl -sS --cacert \$ca -H "Authorization: Bearer \$admin" -X DELETE $issuer/api/v1/namespaces/default/pods/web-0
  # the same TokenReview now answers "service account token has been invalidated", whichever replica serves it

  Each replica also answers on its own port (cluster.env); kill one and the balancer keeps serving.
  Ctrl-C stops everything.
EOF

# --- Run until Ctrl-C; a process that dies is reported, and the rest keep serving. ---
declare -A reported=()
while true; do
  for i in "${!pids[@]}"; do
    if [ -z "${reported[$i]:-}" ] && ! kill -0 "${pids[$i]}" 2>/dev/null; then
      reported[$i]=1
      rc=0; wait "${pids[$i]}" 2>/dev/null || rc=$?
      say "${names[$i]} (pid ${pids[$i]}) exited ($rc); the others keep serving. Its log: $dir/${names[$i]}.log"
    fi
  done
  sleep 1
done
