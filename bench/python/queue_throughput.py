#!/usr/bin/python3
"""Items through asyncio.Queue(100): the Python side of ChannelBench.

`--n` integers through one `asyncio.Queue(maxsize)` with `--pairs` producer and consumer tasks
(1 and 4 in issue 3), the sum checked; reports items per second over `--runs` measured runs after
`--warmup` runs, with the 99.9% CI half-width. Prints one JSON object.
Runs on Debian's /usr/bin/python3 (3.11); `--loop uvloop` uses uvloop.
"""
import argparse
import asyncio
import json
import platform
import sys
import time

import benchstats
import loops


async def one_run(n, pairs, maxsize):
    q = asyncio.Queue(maxsize)
    per = n // pairs
    total = 0

    async def producer(base):
        for i in range(per):
            await q.put(base + i)

    async def consumer():
        nonlocal total
        s = 0
        for _ in range(per):
            s += await q.get()
        total += s

    t0 = time.perf_counter_ns()
    async with asyncio.TaskGroup() as tg:
        for p in range(pairs):
            tg.create_task(producer(p * per))
            tg.create_task(consumer())
    dt = time.perf_counter_ns() - t0
    m = per * pairs
    if total != m * (m - 1) // 2:
        raise SystemExit(f"lost or duplicated items: {total}")
    return m / (dt / 1e9)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    loops.add_loop_argument(ap)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--maxsize", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    out = {"workload": "queue", "loop": args.loop, "loop_version": loops.loop_version(args.loop), "python": platform.python_version(), "n": args.n, "maxsize": args.maxsize}
    for pairs in (1, 4):
        samples = []
        for i in range(args.warmup + args.runs):
            with loops.runner(args.loop) as r:
                rate = r.run(one_run(args.n, pairs, args.maxsize))
            if i >= args.warmup:
                samples.append(rate)
        st = benchstats.summary(samples)
        out[f"queue_{pairs}x{pairs}"] = {"items_per_s": st["mean"], "error": st["error"], "samples": samples}
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
