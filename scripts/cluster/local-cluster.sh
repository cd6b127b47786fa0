#!/usr/bin/env bash
# A 3-node NATS JetStream cluster on this machine's loopback, a sweep queued on
# it by `argmax run --nats`, and two `argmax worker` processes taking its
# trials: the README's "Running on a cluster" in one script, for trying it out
# before spreading it over machines. Needs only Go: nats-server is built from
# the module argmax already requires.
#
#   scripts/cluster/local-cluster.sh [SPEC]     (default: a 200-trial mc-pi sweep)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/argmax" ./cmd/argmax
go build -o "$work/nats-server" github.com/nats-io/nats-server/v2

# Three servers: client ports 14222-14224, cluster ports 16222-16224.
for i in 1 2 3; do
  routes=""
  for j in 1 2 3; do
    [ "$j" = "$i" ] || routes="$routes${routes:+,}nats://127.0.0.1:1622$j"
  done
  "$work/nats-server" -n "n$i" -js -sd "$work/n$i" -a 127.0.0.1 -p "1422$i" \
    --cluster_name argmax --cluster "nats://127.0.0.1:1622$i" --routes "$routes" >"$work/n$i.log" 2>&1 &
done
urls=nats://127.0.0.1:14221,nats://127.0.0.1:14222,nats://127.0.0.1:14223

spec=${1:-}
if [ -z "$spec" ]; then
  spec="$work/sweep.yaml"
  printf 'name: cluster-sweep\nseed: 1\nexperiments:\n  - name: mc-pi\n    seeds: 20\n    grid: {samples: [1000, 3000, 10000, 30000, 100000, 300000, 1000000, 3000000, 10000000, 30000000]}\n' >"$spec"
fi

# Wait for the cluster to elect a JetStream leader, then start two workers
# (each on a different node) and the coordinator.
for _ in $(seq 1 50); do
  if grep -q "JetStream cluster new metadata leader" "$work"/n*.log 2>/dev/null; then break; fi
  sleep 0.2
done
"$work/argmax" worker --nats nats://127.0.0.1:14222 --slots 1 --dir "$work/w1" 2>"$work/w1.log" &
"$work/argmax" worker --nats nats://127.0.0.1:14223 --slots 1 --dir "$work/w2" 2>"$work/w2.log" &
"$work/argmax" run "$spec" --nats "$urls" --replicas 3 --out "$work/out"
echo "trials per worker: $(grep -c 'trial finished' "$work/w1.log") and $(grep -c 'trial finished' "$work/w2.log")"
