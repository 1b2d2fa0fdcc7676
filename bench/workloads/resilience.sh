# Workload "resilience" (issue 4): the added cost of a circuit breaker, a retry, and breaker + retry +
# bulkhead around a successful no-op call, at 1 and 8 threads, for Weft, Resilience4j 2.4.0 and
# Failsafe 3.3.2 (ResilienceBench). No report section yet: the figures are listed as they are; the
# ratios are in docs/resilience.md and docs/decisions/0201-breaker-hot-path.md.
wl_resilience_present() { return 0; }

wl_resilience_run() {
  if [ "$QUICK" -eq 1 ]; then
    jmh resilience 'ResilienceBench' -f 1 -wi 2 -w 200ms -i 3 -r 200ms
  else
    jmh resilience 'ResilienceBench' -f 3 -wi 3 -w 1s -i 5 -r 1s
  fi
}
