#!/bin/bash
# usage: cg.sh variant [dist]
v=$1; d=${2:-../../dist/}
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file node --single-threaded --predictable-gc-schedule --hash-seed=42 --random-seed=42 /work/wt/crmperf/bench/tmp-prof/cg.mjs $v $1 $d 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
a=$(count 200); b=$(count 1200)
echo "$v $d $(( (b - a) / 1000 )) instr/lookup"
