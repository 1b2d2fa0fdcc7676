#!/usr/bin/python3
"""Spawn and join N trivial tasks in asyncio: the Python side of SpawnJoinBench.

Each task does `await asyncio.sleep(0)` once (one trip through the event loop: the analogue of
Thread.yield()) and returns its index; the sum is checked against n(n-1)/2. Two ways of spawning:
`asyncio.TaskGroup` (create_task in the group, results read from the tasks after the group ends)
and `asyncio.gather`. Each run uses a fresh event loop; the time measured is from the first spawn
to the checked sum, like the Java side. Prints one JSON object with tasks per second (mean and the
99.9% CI half-width over the measured runs).

Runs on Debian's /usr/bin/python3 (3.11, which has asyncio.TaskGroup and asyncio.Runner).
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


async def work(i):
    await asyncio.sleep(0)
    return i


async def with_taskgroup(n):
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(work(i)) for i in range(n)]
    return sum(t.result() for t in tasks)


async def with_gather(n):
    results = await asyncio.gather(*[work(i) for i in range(n)])
    return sum(results)


VARIANTS = {"taskgroup": with_taskgroup, "gather": with_gather}


def one_run(loop_name, fn, n):
    with loops.runner(loop_name) as r:
        async def timed():
            t0 = time.perf_counter()
            total = await fn(n)
            return time.perf_counter() - t0, total
        seconds, total = r.run(timed())
    expected = n * (n - 1) // 2
    if total != expected:
        raise SystemExit("wrong sum %d for %d tasks, expected %d" % (total, n, expected))
    return seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    loops.add_loop_argument(p)
    p.add_argument("--n", type=int, default=1_000_000, help="tasks per run (default 1,000,000)")
    p.add_argument("--warmup", type=int, default=1, help="runs discarded per variant")
    p.add_argument("--runs", type=int, default=5, help="runs measured per variant")
    p.add_argument("--variants", default="taskgroup,gather")
    a = p.parse_args()

    out = {"workload": "spawn_join", "loop": a.loop, "loop_version": loops.loop_version(a.loop),
           "python": platform.python_version(), "executable": sys.executable, "n": a.n,
           "warmup": a.warmup, "runs": a.runs, "results": {}}
    for name in a.variants.split(","):
        fn = VARIANTS[name]
        secs = []
        for k in range(a.warmup + a.runs):
            gc.collect()
            s = one_run(a.loop, fn, a.n)
            if k >= a.warmup:
                secs.append(s)
        tps = benchstats.summary([a.n / s for s in secs])
        out["results"][name] = {"seconds": secs, "tasks_per_s": tps["mean"], "tasks_per_s_error": tps["error"],
                                "tasks_per_s_stdev": tps["stdev"]}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
