#!/usr/bin/python3
"""Added cost of `async with asyncio.timeout(10)` around an awaited no-op: the Python side of
TimeoutBench.

Per call, in ns: `await noop()` bare, and `async with asyncio.timeout(10): await noop()` (a
timeout that never fires). The added cost is the difference. Rounds of the two alternate (bare,
timeout, bare, timeout, ...) in one event loop so drift on a shared machine hits both alike; the
error is the 99.9% CI half-width over the measured rounds (for the difference: the per-round
differences). Prints one JSON object.

Runs on Debian's /usr/bin/python3 (3.11, which has asyncio.timeout).
"""
import argparse
import asyncio
import gc
import json
import platform
import sys
import time

import benchstats
import loops


async def noop():
    return 1


async def bare(n):
    t0 = time.perf_counter_ns()
    for _ in range(n):
        await noop()
    return (time.perf_counter_ns() - t0) / n


async def with_timeout(n):
    t0 = time.perf_counter_ns()
    for _ in range(n):
        async with asyncio.timeout(10):
            await noop()
    return (time.perf_counter_ns() - t0) / n


async def measure(calls, warmup, rounds):
    b, t = [], []
    for k in range(warmup + rounds):
        gc.collect()
        rb = await bare(calls)
        rt = await with_timeout(calls)
        if k >= warmup:
            b.append(rb)
            t.append(rt)
    return b, t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    loops.add_loop_argument(p)
    p.add_argument("--calls", type=int, default=200_000, help="calls per round")
    p.add_argument("--warmup", type=int, default=2, help="rounds discarded")
    p.add_argument("--rounds", type=int, default=10, help="rounds measured")
    a = p.parse_args()

    with loops.runner(a.loop) as r:
        b, t = r.run(measure(a.calls, a.warmup, a.rounds))
    sb, st = benchstats.summary(b), benchstats.summary(t)
    sd = benchstats.summary([y - x for x, y in zip(b, t)])
    out = {"workload": "timeout_overhead", "loop": a.loop, "loop_version": loops.loop_version(a.loop),
           "python": platform.python_version(), "executable": sys.executable, "calls": a.calls,
           "warmup": a.warmup, "rounds": a.rounds,
           "results": {"bare_ns": sb["mean"], "bare_ns_error": sb["error"],
                       "timeout_ns": st["mean"], "timeout_ns_error": st["error"],
                       "added_ns": sd["mean"], "added_ns_error": sd["error"],
                       "bare_rounds": b, "timeout_rounds": t}}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
