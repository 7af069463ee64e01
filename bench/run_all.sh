#!/usr/bin/env bash
# Every scenario in turn, as docs/benchmarks.md reports them (about an hour on 2 cores).
# Output goes to bench/results/*.json and the tables to bench/results/run_all.log.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
log=bench/results/run_all.log
run() { echo "== $*" | tee -a "$log"; "$PY" -m "$@" 2>&1 | grep --line-buffered -v '^NOTICE' | tee -a "$log"; }
for db in sqlite postgres; do
  for server in gunicorn granian; do run bench.surge --db "$db" --server "$server"; done
done
# The rest runs on the server with the higher SOS throughput at 100 clients, both databases.
BENCH_SERVER=$("$PY" - <<'PYEND'
import glob, json, statistics
best = {}
for path in glob.glob("bench/results/surge-*.json"):
    data = json.load(open(path))
    for row in data.get("summary", []):
        if row["clients"] == 100 and row["target"] == "sos":
            best.setdefault(data["server"], []).append(row["rps"]["median"])
print(max(best, key=lambda s: statistics.mean(best[s])) if best else "gunicorn")
PYEND
)
export BENCH_SERVER
echo "== server for the other scenarios: $BENCH_SERVER" | tee -a "$log"
run bench.crash --db sqlite --kill server --phones 1000
run bench.crash --db postgres --kill server --phones 1000
run bench.crash --db postgres --kill database --phones 1000
run bench.flood --db sqlite
run bench.flood --db postgres
run bench.time_to_lawyer --db sqlite --rates 2,10 --seconds 10 --surge 100 --surge-seconds 2
run bench.time_to_lawyer --db postgres --rates 2,10 --seconds 10 --surge 100 --surge-seconds 2
run bench.scale
for db in sqlite postgres; do run bench.surge --db "$db" --server uvicorn; done
