#!/usr/bin/env python3
"""Fan-out benchmark, aiohttp side: N GETs of URL with at most LIMIT in flight, one ClientSession
(TCPConnector(limit=LIMIT)), body read whole. One warm-up round, then ROUNDS measured rounds, one
JSON line per round (same format as HttpBench fanout). --uvloop installs uvloop's event loop.

    http_fanout.py URL N LIMIT ROUNDS [--uvloop]
"""
import asyncio
import json
import sys
import time

import aiohttp


async def one_round(session, url, n, limit):
    sem = asyncio.Semaphore(limit)
    errors = 0

    async def get():
        nonlocal errors
        async with sem:
            try:
                async with session.get(url) as r:
                    await r.read()
                    if r.status != 200:
                        errors += 1
            except Exception:
                errors += 1

    await asyncio.gather(*(get() for _ in range(n)))
    return errors


async def main(url, n, limit, rounds, label):
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit)) as session:
        for rnd in range(rounds + 1):
            t0 = time.perf_counter()
            errors = await one_round(session, url, n, limit)
            secs = time.perf_counter() - t0
            if rnd > 0:
                print(json.dumps({"client": label, "round": rnd, "n": n, "limit": limit,
                                  "seconds": round(secs, 4), "rps": round(n / secs, 1), "errors": errors}), flush=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    use_uvloop = "--uvloop" in sys.argv
    label = "aiohttp"
    if use_uvloop:
        import uvloop
        uvloop.install()
        label = "aiohttp+uvloop"
    asyncio.run(main(args[0], int(args[1]), int(args[2]), int(args[3]), label))
