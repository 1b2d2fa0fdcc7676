# Workload "scan" (issue 6): `weft scan` speed, measured by dev.weft.bench.ScanSpeed (a main in
# weft-bench written with the scanner; this file only runs it). Present once the benchmarks jar
# holds that class. Its stdout is kept as $RAW/$STAMP-scan.out and its rows go into the table:
# Markdown table lines ('| ... |') are copied as they are; a single JSON object becomes one row per
# key; anything else is quoted. Extra arguments: WEFT_SCAN_ARGS (default: none).
wl_scan_present() {
  "$JAVA_HOME/bin/jar" tf "$JAR" 2>/dev/null | grep -qx 'dev/weft/bench/ScanSpeed.class'
}

wl_scan_run() {
  say "ScanSpeed: java -cp benchmarks.jar dev.weft.bench.ScanSpeed ${WEFT_SCAN_ARGS:-}"
  # shellcheck disable=SC2086
  "$JAVA" --enable-preview -cp "$JAR" dev.weft.bench.ScanSpeed ${WEFT_SCAN_ARGS:-} \
    > "$RAW/$STAMP-scan.out" 2> "$RAW/$STAMP-scan.log" || { tail -20 "$RAW/$STAMP-scan.log" >&2; say "ScanSpeed failed"; return 1; }
  cat "$RAW/$STAMP-scan.out" >&2
}
