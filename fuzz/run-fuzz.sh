#!/bin/sh
# Runs the fuzz targets one after another (the machine's cores are shared),
# each for $1 seconds (default 600), at the lowest priority. Build first:
#   RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none -O
# Logs go to fuzz/logs/TARGET.log; libFuzzer's final stats close each log.
set -u
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=${*:-front_matter content}
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for t in $targets; do
    mkdir -p "corpus/$t" "artifacts/$t"
    dict=""
    [ -f "dicts/$t.dict" ] && dict="-dict=dicts/$t.dict"
    nice -n 19 "$bin/$t" "corpus/$t" $dict -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" > "logs/$t.log" 2>&1
    echo "$t exit $?" >> logs/summary.txt
done
