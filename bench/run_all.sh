#!/usr/bin/env bash
# Every scenario of docs/benchmarks.md in turn (well over an hour on 2 cores).
# Each command writes its JSON to bench/results/; the tables also go to bench/results/run_all.log.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
log=bench/results/run_all.log
mkdir -p bench/results
run() { echo "== $*" | tee -a "$log"; "$PY" -m "$@" 2>&1 | grep --line-buffered -v '^NOTICE' | tee -a "$log"; }

# 1 and 6: the surge on both databases, then the three servers side by side at 100 clients.
for db in sqlite postgres; do
  for server in gunicorn granian; do run bench.surge --db "$db" --server "$server"; done
done
for server in uvicorn gunicorn granian; do
  run bench.surge --db postgres --server "$server" --clients 100
done

# The rest on the server chosen in docs/benchmarks.md.
export BENCH_SERVER=${BENCH_SERVER:-granian}
run bench.ceiling --db postgres            # 11: the middleware ceiling, wrk on granian (issue 15)
run bench.time_to_lawyer --db sqlite --rates 2,10 --seconds 10 --surge 100 --surge-seconds 2 --wait 90
run bench.time_to_lawyer --db postgres --rates 2,10 --seconds 10 --surge 100 --surge-seconds 2 --wait 90
run bench.flood --db sqlite --seconds 15
run bench.flood --db postgres --seconds 15
run bench.crash --db sqlite --kill server --phones 1000
run bench.crash --db postgres --kill server --phones 1000
run bench.crash --db postgres --kill database --phones 1000
run bench.scale --cases 101000 --open 1000   # a protest day over 100,000 closed (issue 12)
run bench.scale                              # a million cases, 10,000 open (issue 15)
run bench.stats                              # /stats/ at a million cases (issue 18)
run bench.intake --updates 20 --repeats 3
run bench.lighthouse --runs 3                # the pages on a slow phone network (issue 16)
run bench.evidence --sizes 20,200 --chunks-kb 1024,8192   # uploads and server memory (issue 17)
