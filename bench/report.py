#!/usr/bin/python3
"""Turns one bench/compare run's raw results into a Markdown report.

Reads $RAW/$STAMP-meta.json, $RAW/$STAMP-<name>.jmh.json (JMH -rf json), $RAW/$STAMP-<name>.py.json
(bench/python scripts) and $RAW/$STAMP-scan.out, and writes one Markdown file: the machine, then
one section per workload (section_<workload> below; a workload without one gets a plain listing of
its figures), then every JMH figure as measured.

Errors: JMH's "Error" is the half-width of the 99.9% confidence interval of the mean; the Python
scripts report the same. Derived figures carry a propagated error: for a difference a - b,
sqrt(ea^2 + eb^2); for a ratio a / b, the relative errors added in quadrature; for tasks/s derived
from ms per batch, the same relative error as the time. A target is marked met or missed on the
point estimate; when the error interval straddles the target the mark says so.
"""
import argparse
import glob
import json
import math
import os
import re


# ---------------------------------------------------------------------------------------------
# loading

def load(raw, stamp):
    data = {"jmh": {}, "py": {}, "meta": {}, "scan": None}
    meta = os.path.join(raw, stamp + "-meta.json")
    if os.path.exists(meta):
        data["meta"] = json.load(open(meta))
    for f in sorted(glob.glob(os.path.join(raw, stamp + "-*.jmh.json"))):
        name = os.path.basename(f)[len(stamp) + 1:-len(".jmh.json")]
        for r in json.load(open(f)):
            short = r["benchmark"].rsplit(".", 2)
            key = short[-2] + "." + short[-1]
            data["jmh"][key] = dict(r, _file=name)
    for f in sorted(glob.glob(os.path.join(raw, stamp + "-*.py.json"))):
        name = os.path.basename(f)[len(stamp) + 1:-len(".py.json")]
        data["py"][name] = json.load(open(f))
    scan = os.path.join(raw, stamp + "-scan.out")
    if os.path.exists(scan):
        data["scan"] = open(scan).read()
    return data


class V:
    """A figure with its error (NaN when unknown)."""

    def __init__(self, v, e=float("nan")):
        self.v, self.e = float(v), float(e)

    def __sub__(self, o):
        return V(self.v - o.v, math.hypot(self.e, o.e))

    def __truediv__(self, o):
        if isinstance(o, (int, float)):
            return V(self.v / o, self.e / abs(o))
        r = self.v / o.v
        return V(r, abs(r) * math.hypot(self.e / self.v if self.v else 0, o.e / o.v if o.v else 0))

    def __mul__(self, k):
        return V(self.v * k, self.e * abs(k))

    def rel(self):
        return self.e / abs(self.v) if self.v else float("nan")


def jmh_v(d, key):
    r = d["jmh"].get(key)
    if not r:
        return None
    m = r["primaryMetric"]
    e = m.get("scoreError")
    return V(m["score"], e if isinstance(e, (int, float)) else float("nan"))


def fmt(x, digits=3):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    ax = abs(x)
    if ax >= 1e6:
        return f"{x / 1e6:.{max(digits - 1, 1)}f} M" if ax < 1e9 else f"{x / 1e9:.2f} G"
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 100:
        return f"{x:.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def fv(x, unit=""):
    if x is None:
        return "n/a", "n/a"
    u = (" " + unit) if unit else ""
    err = "n/a" if math.isnan(x.e) else "± " + fmt(x.e) + u
    pct = "" if math.isnan(x.e) or not x.v else f" ({100 * x.rel():.0f}%)"
    return fmt(x.v) + u, err + pct


def verdict(x, target, higher_is_better):
    if x is None:
        return "not measured"
    ok = x.v >= target if higher_is_better else x.v <= target
    s = "**met**" if ok else "**missed**"
    if not math.isnan(x.e) and x.v - x.e <= target <= x.v + x.e:
        s += " (error interval straddles the target: not conclusive)"
    return s


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# core (issues 2 and 7)

def section_core(d):
    out = []
    param = None
    r = d["jmh"].get("SpawnJoinBench.weftTaskGroup")
    if r:
        param = int(r["params"]["count"])

    def tps_java(key):
        t = jmh_v(d, key)  # ms per batch
        if t is None:
            return None
        tps = param / (t.v / 1000.0)
        return V(tps, tps * t.rel())

    def tps_py(loop, variant):
        p = d["py"].get("spawn-" + loop)
        if not p:
            return None
        x = p["results"][variant]
        return V(x["tasks_per_s"], x["tasks_per_s_error"])

    weft = tps_java("SpawnJoinBench.weftTaskGroup")
    spawn_rows = [
        ("Weft `TaskGroup.run` + `spawn`", weft),
        ("raw `Thread.ofVirtual().start` + `join`", tps_java("SpawnJoinBench.rawVirtualThreads")),
        ("`Executors.newVirtualThreadPerTaskExecutor()`", tps_java("SpawnJoinBench.virtualThreadExecutor")),
        ("JDK 25 `StructuredTaskScope.open()` (preview)", tps_java("SpawnJoinBench.structuredTaskScope")),
        ("Python `asyncio.TaskGroup` (default loop)", tps_py("asyncio", "taskgroup")),
        ("Python `asyncio.gather` (default loop)", tps_py("asyncio", "gather")),
        ("Python `asyncio.TaskGroup` (uvloop)", tps_py("uvloop", "taskgroup")),
        ("Python `asyncio.gather` (uvloop)", tps_py("uvloop", "gather")),
    ]
    n_py = next((p["n"] for k, p in d["py"].items() if k.startswith("spawn-")), None)
    out.append(f"### Spawn and join {param:,} trivial tasks (Java) / {n_py:,} (Python)\n" if param and n_py
               else "### Spawn and join trivial tasks\n")
    out.append("Each task yields once (`Thread.yield()` / `await asyncio.sleep(0)`) and returns its index; "
               "the sum is checked. Higher is better.\n")
    rows = []
    for label, x in spawn_rows:
        a, b = fv(x, "tasks/s")
        ratio = (weft / x) if (weft and x) else None
        rows.append((label, a, b, "1" if x is weft else (fmt(ratio.v) + "×" if ratio else "n/a")))
    out.append(table(["variant", "throughput", "error (99.9% CI)", "Weft ÷ this"], rows))
    out.append("")

    # calls: Limiter and timeout scopes
    def added(key, base):
        a, b = jmh_v(d, key), jmh_v(d, base)
        return (a - b) if (a and b) else None

    out.append("### Added cost per call (ns, lower is better)\n")
    out.append("The body is an empty call (`() -> x`); *added* = with wrapper − bare call, measured in the same "
               "JMH run. At 8 threads on this machine's cores the threads time-share the CPUs, so every per-thread "
               "figure (bare call included) is inflated by about threads ÷ cores; the *normalized* column "
               "multiplies by cores ÷ threads (1 thread: unchanged).\n")
    cores = d["meta"].get("nproc") or 1
    call_rows = []
    for label, key, base, threads in [
        ("bare call", "LimiterBench.bare_t1", None, 1),
        ("`Limiter.run` (capacity 64, uncontended)", "LimiterBench.limiter_t1", "LimiterBench.bare_t1", 1),
        ("bare call", "LimiterBench.bare_t8", None, 8),
        ("`Limiter.run` (capacity 64, uncontended)", "LimiterBench.limiter_t8", "LimiterBench.bare_t8", 8),
        ("bare call", "TimeoutBench.bare_t1", None, 1),
        ("`Timeouts.failAfter(10 s, …)`", "TimeoutBench.failAfter_t1", "TimeoutBench.bare_t1", 1),
        ("`CancelScope.create().run(…)` (no deadline)", "TimeoutBench.cancelScope_t1", "TimeoutBench.bare_t1", 1),
        ("bare call", "TimeoutBench.bare_t8", None, 8),
        ("`Timeouts.failAfter(10 s, …)`", "TimeoutBench.failAfter_t8", "TimeoutBench.bare_t8", 8),
        ("`CancelScope.create().run(…)` (no deadline)", "TimeoutBench.cancelScope_t8", "TimeoutBench.bare_t8", 8),
    ]:
        total = jmh_v(d, key)
        add = added(key, base) if base else None
        norm = add * (min(cores, threads) / threads) if add else None
        ta, te = fv(total)
        aa, ae = fv(add) if base else ("—", "")
        na = fv(norm)[0] if base else "—"
        call_rows.append((label, threads, ta, te, aa + (" " + ae if ae else ""), na))
    for loop in ("asyncio", "uvloop"):
        p = d["py"].get("timeout-" + loop)
        if not p:
            continue
        r_ = p["results"]
        bare = V(r_["bare_ns"], r_["bare_ns_error"])
        tmo = V(r_["timeout_ns"], r_["timeout_ns_error"])
        add = V(r_["added_ns"], r_["added_ns_error"])
        name = "default loop" if loop == "asyncio" else "uvloop"
        call_rows.append((f"Python bare `await noop()` ({name})", 1, *fv(bare), "—", "—"))
        call_rows.append((f"Python `async with asyncio.timeout(10)` ({name})", 1, *fv(tmo),
                          " ".join(fv(add)), fv(add)[0]))
    out.append(table(["call", "threads", "time per call (ns)", "error", "added (ns)", "added, normalized (ns)"],
                     call_rows))
    out.append("")

    # targets
    out.append("### Targets (DESIGN §4, issue 2, issue 7 semantics 14)\n")
    sts = tps_java("SpawnJoinBench.structuredTaskScope")
    tg_py, tg_uv = tps_py("asyncio", "taskgroup"), tps_py("uvloop", "taskgroup")
    ft1 = added("TimeoutBench.failAfter_t1", "TimeoutBench.bare_t1")
    cs1 = added("TimeoutBench.cancelScope_t1", "TimeoutBench.bare_t1")
    ft8 = added("TimeoutBench.failAfter_t8", "TimeoutBench.bare_t8")
    l1 = added("LimiterBench.limiter_t1", "LimiterBench.bare_t1")
    l8 = added("LimiterBench.limiter_t8", "LimiterBench.bare_t8")
    py_t = d["py"].get("timeout-asyncio")
    py_add = V(py_t["results"]["added_ns"], py_t["results"]["added_ns_error"]) if py_t else None
    uv_t = d["py"].get("timeout-uvloop")
    uv_add = V(uv_t["results"]["added_ns"], uv_t["results"]["added_ns_error"]) if uv_t else None

    def r(a, b):
        return (a / b) if (a is not None and b is not None) else None

    rows = []

    def add_row(what, x, unit, target_txt, target, higher):
        a, e = fv(x, unit)
        rows.append((what, a, e, target_txt, verdict(x, target, higher) if target is not None else "— (no target)"))

    add_row("Weft TaskGroup ÷ StructuredTaskScope, tasks/s", r(weft, sts), "×", "≥ 1.0", 1.0, True)
    add_row("Weft TaskGroup ÷ asyncio TaskGroup (default loop), tasks/s", r(weft, tg_py), "×", "≥ 15", 15.0, True)
    add_row("Weft TaskGroup ÷ asyncio TaskGroup (uvloop), tasks/s (stricter reading)", r(weft, tg_uv), "×", "≥ 15",
            15.0, True)
    add_row("`Timeouts.failAfter` added per call, 1 thread", ft1, "ns", "≤ 500 ns", 500.0, False)
    add_row("`CancelScope.create().run` added per call, 1 thread", cs1, "ns", "≤ 500 ns", 500.0, False)
    add_row("`Timeouts.failAfter` added per call, 8 threads, normalized",
            ft8 * (min(cores, 8) / 8) if ft8 else None, "ns", "≤ 500 ns (secondary)", 500.0, False)
    add_row("`failAfter` added ÷ `asyncio.timeout` added (default loop)", r(ft1, py_add), "×", "< 1 (informative)",
            None, False)
    add_row("`failAfter` added ÷ `asyncio.timeout` added (uvloop)", r(ft1, uv_add), "×", "< 1 (informative)",
            None, False)
    add_row("`Limiter.run` added per call, 1 thread", l1, "ns", "—", None, False)
    add_row("`Limiter.run` added per call, 8 threads, normalized", l8 * (min(cores, 8) / 8) if l8 else None, "ns",
            "—", None, False)
    add_row("`Limiter.run` added, 8 threads (normalized) ÷ 1 thread",
            r(l8 * (min(cores, 8) / 8), l1) if (l8 and l1) else None, "×", "— (1.0 = flat)", None, False)
    out.append(table(["ratio or figure", "value", "error", "target", "status"], rows))
    out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# scan (issue 6): rows come from dev.weft.bench.ScanSpeed's stdout

def section_scan(d):
    text = d["scan"]
    if text is None:
        return None
    out = ["### `weft scan` speed (dev.weft.bench.ScanSpeed)\n"]
    s = text.strip()
    try:
        obj = json.loads(s)
        if isinstance(obj, dict):
            out.append(table(["figure", "value"], [(k, obj[k]) for k in obj]))
            return "\n".join(out) + "\n"
    except ValueError:
        pass
    rows = [l for l in s.splitlines() if l.strip().startswith("|")]
    if rows:
        out.append("\n".join(rows))
    else:
        out.append("```\n" + "\n".join(s.splitlines()[-30:]) + "\n```")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# channels (issue 3)

def section_channels(d):
    out = ["### Channels: items through a buffered(100) channel, and rendezvous (issue 3)\n"]

    def ips(key):
        r = d["jmh"].get(key)
        t = jmh_v(d, key)  # ms per invocation moving all items
        if t is None:
            return None
        n = int(r["params"]["items"])
        v = n / (t.v / 1000.0)
        return V(v, v * t.rel()) if not math.isnan(t.e) else V(v)

    def ips_py(loop, shape):
        p = d["py"].get("queue-" + loop)
        if not p or ("queue_" + shape) not in p:
            return None
        q = p["queue_" + shape]
        return V(q["items_per_s"], q.get("error", float("nan")))

    rows = []
    results = {}
    for shape in ("1x1", "4x4"):
        for impl, label in (("weft", "Weft Channel"), ("abq", "ArrayBlockingQueue"), ("lbq", "LinkedBlockingQueue"),
                            ("jox", "jox Channel")):
            x = ips(f"ChannelBench.{impl}_{shape}")
            results[(impl, shape)] = x
            rows.append((shape, label, *fv(x, "items/s")))
        for loop in ("asyncio", "uvloop"):
            x = ips_py(loop, shape)
            results[(loop, shape)] = x
            rows.append((shape, f"asyncio.Queue(100), {loop}", *fv(x, "items/s")))
    for impl, label in (("weft", "Weft Channel.rendezvous"), ("jox", "jox rendezvous"),
                        ("synchronousQueue", "SynchronousQueue")):
        x = ips(f"ChannelBench.rendezvous_{impl}")
        results[(impl, "rdv")] = x
        rows.append(("rendezvous 1x1", label, *fv(x, "items/s")))
    out.append(table(["shape", "implementation", "throughput", "error"], rows))

    def r(a, b):
        return None if a is None or b is None else a / b

    trows = []
    for shape in ("1x1", "4x4"):
        w = results[("weft", shape)]
        for other, label, target in (("abq", "ArrayBlockingQueue", 1.0), ("jox", "jox", 1.0), ("asyncio", "asyncio.Queue", 5.0),
                                     ("uvloop", "asyncio.Queue + uvloop", 5.0)):
            x = r(w, results[(other, shape)])
            trows.append((f"Weft / {label}, {shape}", *fv(x, "×"), f"≥ {target:g}×", verdict(x, target, True)))
    x = r(results[("weft", "rdv")], results[("synchronousQueue", "rdv")])
    trows.append(("Weft / SynchronousQueue, rendezvous", *fv(x, "×"), "(no target)", "—" if x is None else "measured"))
    x = r(results[("weft", "rdv")], results[("jox", "rdv")])
    trows.append(("Weft / jox, rendezvous", *fv(x, "×"), "(no target)", "—" if x is None else "measured"))
    out.append("\n" + table(["ratio", "value", "error", "target", "verdict"], trows))
    return "\n".join(out) + "\n"



def generic_section(name, d):
    """For a workload without a section_<name>: its JMH and Python figures as they are."""
    out = [f"### {name}\n"]
    rows = [(k, *fv(jmh_v(d, k), d["jmh"][k]["primaryMetric"]["scoreUnit"]))
            for k in sorted(d["jmh"]) if d["jmh"][k]["_file"].startswith(name)]
    if rows:
        out.append(table(["benchmark", "score", "error"], rows))
    for k, p in sorted(d["py"].items()):
        if k.startswith(name):
            out.append(f"\n`{k}`: `" + json.dumps(p.get("results"))[:600] + "`")
    return "\n".join(out) + "\n"


def all_jmh(d):
    rows = []
    for k in sorted(d["jmh"]):
        r = d["jmh"][k]
        m = r["primaryMetric"]
        params = ", ".join(f"{a}={b}" for a, b in (r.get("params") or {}).items())
        samples = sum(len(x) for x in m.get("rawData", []))
        rows.append((k, params or "—", r["mode"], r["threads"], r["forks"], samples,
                     fmt(m["score"]), fmt(m["scoreError"]) if isinstance(m["scoreError"], (int, float)) else "n/a",
                     m["scoreUnit"]))
    return table(["benchmark", "params", "mode", "threads", "forks", "samples", "score", "error", "unit"], rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--stamp", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    d = load(a.raw, a.stamp)
    m = d["meta"]
    jv = m.get("java", [])
    jvm = next((l for l in jv if "VM" in l and "Runtime" not in l), jv[-1] if jv else "?")
    lines = [f"# Weft benchmarks: {', '.join(m.get('workloads', []))} ({m.get('date')})\n"]
    if m.get("quick"):
        lines.append("**Quick smoke run** (short warm-up, few samples, 100,000 tasks): the figures show the harness "
                     "works, not what Weft can do.\n")
    lines.append(table(["", ""], [
        ("command", f"`{m.get('command')}`"),
        ("date", m.get("date")),
        ("machine", f"{m.get('nproc')} cores (`nproc`), {m.get('cpu')}, {m.get('mem_gb')} GB, Linux {m.get('kernel')}"),
        ("Weft", f"checkout at commit {m.get('commit')} when the run started ({m.get('dirty_files')} uncommitted "
                 f"files under weft-core/ and weft-bench/); jar `{m.get('jar')}`"
                 + (" (given with --jar/--no-build: built from whatever source it was built from)"
                    if m.get("jar_given") else " (built by this run from the checkout)")),
        ("JDK", f"{jv[0] if jv else '?'}; {jvm}"),
        ("Python", f"{m.get('python')}, uvloop {m.get('uvloop')}"),
        ("load average (1/5/15 min)", f"{m.get('load_start')} at start, {m.get('load_end')} at end"),
        ("wall time", f"{m.get('elapsed_s')} s"),
        ("raw results", f"`bench/results/raw/{a.stamp}-*` (git-ignored)"),
    ]))
    lines.append("")
    lines.append("> The machine is shared with other engineers' builds and test runs, which adds noise (see the "
                 "load averages above): absolute figures vary from run to run, so read the ratios, and their "
                 "errors, which come from the same run. Error = half-width of the 99.9% confidence interval "
                 "(JMH's definition; the Python scripts use the same), propagated into ratios and differences.\n")
    for w in m.get("workloads", []):
        fn = globals().get("section_" + w)
        s = fn(d) if fn else generic_section(w, d)
        if s:
            lines.append(s)
    if d["jmh"]:
        lines.append("### Every JMH figure as measured\n")
        lines.append(all_jmh(d))
        lines.append("")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
