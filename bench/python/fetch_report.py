#!/usr/bin/env python3
"""bench/fetch's raw rows (TSV) and machine notes (key=value) to the Markdown results file.

    fetch_report.py ROWS.tsv META > results.md
"""
import csv
import statistics
import sys

COMMANDS = {
    "curl": "`curl -Z --parallel-max 64 -K urls.cfg` (bodies to /dev/null)",
    "curl-save": "`curl -Z --parallel-max 64 --create-dirs -K urls-save.cfg` (bodies written, one file per URL, the layout of `weft fetch --save`)",
    "wget2": "`wget2 --max-threads=64 -i urls.txt` (bodies written)",
    "aria2c": "`aria2c -i urls.txt -j 64` (bodies written)",
    "aiohttp": "`fetch_gather.py urls.txt` (asyncio.gather + Semaphore(64) + one ClientSession)",
    "aiohttp-uvloop": "same, `--uvloop`",
    "weft": "`./weft fetch urls.txt --limit 64 -o out.jsonl` (bodies not kept)",
    "weft-save": "same, `--save DIR` (bodies written)",
}
ORDER = list(COMMANDS)


def main(tsv, meta_path):
    meta = {}
    for line in open(meta_path):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            meta[k] = v
    rows = list(csv.DictReader(open(tsv), delimiter="\t"))
    limit = meta.get("limit", "64")
    out = []
    w = out.append
    w(f"# `weft fetch` vs curl, wget2, aria2c and aiohttp: {meta.get('date')}")
    w("")
    w("Written by `bench/fetch`" + (" --quick (a smoke check, not a measurement)" if meta.get("quick") == "1" else "") + ".")
    w("Each tool is timed as a whole process (start-up included) fetching the same URL list of distinct")
    w(f"static files (0.5-16 KB, log-uniform) from nginx on loopback, {limit} requests in flight;")
    w(f"{meta.get('rounds')} round(s), tools taking turns within a round; figures are medians (min-max).")
    w("The machine is shared: read the ratios (same run), not the absolute figures; the load average")
    w("(1/5/15 min) before and after each tool is in the raw rows. On an oversubscribed machine wall")
    w("time mostly follows the CPU a tool needs: the CPU column (GNU time, the tool's process tree,")
    w("nginx excluded) is the figure load does not inflate.")
    w("")
    w("| | |")
    w("|---|---|")
    for k in ["date", "host", "cpu", "memory", "commit", "bodies", "java", "nginx", "curl", "wget2", "aria2c", "python", "weft_java_opts", "tsv"]:
        if meta.get(k):
            w(f"| {k} | {meta[k]} |")
    if meta.get("timed_out"):
        w(f"| timed out | {meta['timed_out']} (stopped at --tool-timeout, then not run again) |")
    if meta.get("skipped"):
        w(f"| skipped | {meta['skipped']} (not available) |")
    w("")
    sizes = sorted({int(r["size"]) for r in rows})
    verdicts = []
    for size in sizes:
        rs = [r for r in rows if int(r["size"]) == size]
        tools = [t for t in ORDER if any(r["tool"] == t for r in rs)]
        med = {}
        cpu_med = {}
        table = []
        for t in tools:
            tr = [r for r in rs if r["tool"] == t]
            secs = [float(r["seconds"]) for r in tr]
            m = statistics.median(secs)
            short_rows = [r for r in tr if int(r["ok200"]) < size]
            if short_rows:  # stopped (time bound, a signal) or failing: what it got, per second
                med[t] = statistics.median(int(r["ok200"]) / float(r["seconds"]) for r in tr)
            else:
                med[t] = size / m
            ok = min(int(r["ok200"]) for r in tr)
            bad = [r for r in tr if r["exit"] != "0"]
            loads = ", ".join(f"{r['load_before'].split('/')[0]}→{r['load_after'].split('/')[0]}" for r in tr)
            timed_out = sum(1 for r in tr if r["exit"] in ("124", "137"))
            cpus = [float(r["cpu"]) for r in tr if r.get("cpu") not in (None, "", "NA")]
            cpu = statistics.median(cpus) if cpus else None
            cpu_med[t] = cpu
            killed = sum(1 for r in tr if r["exit"] == "143")
            note = (f" (stopped at the time bound in {timed_out} round(s); URLs/s from the 200s it got)" if timed_out
                    else f" (ended by SIGTERM in {killed} round(s); URLs/s from the 200s it got)" if killed
                    else " (fewer 200s than URLs; URLs/s from the 200s)" if short_rows else "")
            table.append((t + note,
                          m, min(secs), max(secs), med[t], ok, len(bad), loads, cpu))
        w(f"## {size:,} URLs")
        w("")
        w("| tool | seconds, median (min-max) | URLs/s | vs curl | vs aiohttp | vs aiohttp+uvloop | CPU s (user+sys), median | CPU vs curl | nginx 200s (min of rounds) | exit≠0 | load 1-min before→after |")
        w("|---|---|---|---|---|---|---|---|---|---|---|")
        for t, m, lo, hi, ups, ok, bad, loads, cpu in table:
            def ratio(a, ups=ups):
                return f"{ups / med[a]:.2f}×" if a in med else "-"
            base = cpu_med.get("curl")
            cr = f"{cpu / base:.2f}×" if cpu is not None and base else "-"
            w(f"| {t} | {m:.2f} ({lo:.2f}-{hi:.2f}) | {ups:,.0f} | {ratio('curl')} | {ratio('aiohttp')} | {ratio('aiohttp-uvloop')} | {'-' if cpu is None else f'{cpu:.2f}'} | {cr} | {ok:,} | {bad} | {loads} |")
        w("")
        # ADR 0335: each mode is held against the same work done by curl; the rows marked
        # "reference" compare a run that writes every body with runs that write none
        for wt in ("weft", "weft-save"):
            if wt not in med:
                continue
            saves = wt == "weft-save"
            if "curl" in med:
                r = med[wt] / med["curl"]
                if saves:
                    verdicts.append(f"| {size:,} | reference: {wt} against curl --parallel writing no body | {r:.2f}× | not a target (ADR 0335) |")
                else:
                    verdicts.append(f"| {size:,} | {wt} ≥ curl --parallel | {r:.2f}× | {'**met**' if r >= 1 else '**missed**'} |")
            if saves and "curl-save" in med:
                r = med[wt] / med["curl-save"]
                verdicts.append(f"| {size:,} | {wt} ≥ curl --parallel keeping the bodies (curl-save) | {r:.2f}× | {'**met**' if r >= 1 else '**missed**'} |")
            py = [a for a in ("aiohttp", "aiohttp-uvloop") if a in med]
            if py:
                best = max(py, key=lambda a: med[a])
                r = med[wt] / med[best]
                if saves:
                    verdicts.append(f"| {size:,} | reference: {wt} against the aiohttp pattern ({best}), which keeps no body | {r:.2f}× | not a target (ADR 0335) |")
                else:
                    verdicts.append(f"| {size:,} | {wt} ≥ 5× the aiohttp pattern (the faster, {best}) | {r:.2f}× | {'**met**' if r >= 5 else '**missed**'} |")
    if verdicts:
        w("## Targets (issue 10, DESIGN §4)")
        w("")
        w("| URLs | target | ratio (URLs/s, medians) | |")
        w("|---|---|---|---|")
        out.extend(verdicts)
        w("")
    w("Commands (run in an empty directory each; bodies written there are deleted after each run):")
    w("")
    for t in ORDER:
        if any(r["tool"] == t for r in rows):
            w(f"- {t}: {COMMANDS[t].replace('64', limit)}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
