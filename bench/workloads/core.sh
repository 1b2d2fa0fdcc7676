# Workload "core" (issues 2 and 7): spawn/join 1,000,000 tasks, Limiter.run added cost, timeout
# scope added cost; against raw virtual threads, the virtual-thread executor, JDK 25
# StructuredTaskScope, asyncio (default loop and uvloop). Sourced by bench/compare, which provides
# jmh, pyrun, QUICK. The report section is section_core in bench/report.py.
wl_core_present() { return 0; }

wl_core_run() {
  if [ "$QUICK" -eq 1 ]; then
    jmh spawn 'SpawnJoinBench' -p count=100000 -gc true -f 1 -wi 2 -i 3
    jmh calls '(LimiterBench|TimeoutBench)' -f 1 -wi 2 -w 200ms -i 3 -r 200ms
    for loop in asyncio uvloop; do
      pyrun "spawn-$loop" spawn_join.py --loop "$loop" --n 100000 --warmup 1 --runs 3
      pyrun "timeout-$loop" timeout_overhead.py --loop "$loop" --calls 50000 --warmup 1 --rounds 4
    done
  else
    # 1,000,000 tasks per invocation; one invocation is one sample. 3 forks x 8 samples keeps the
    # 99.9% CI of each mean well inside the differences the targets are about (see the table).
    jmh spawn 'SpawnJoinBench' -p count=1000000 -gc true -f 3 -wi 4 -i 8
    jmh calls '(LimiterBench|TimeoutBench)' -f 3 -wi 4 -w 1s -i 6 -r 1s
    for loop in asyncio uvloop; do
      pyrun "spawn-$loop" spawn_join.py --loop "$loop" --n 1000000 --warmup 1 --runs 5
      pyrun "timeout-$loop" timeout_overhead.py --loop "$loop" --calls 200000 --warmup 2 --rounds 10
    done
  fi
}
