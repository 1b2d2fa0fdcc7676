#!/usr/bin/env python3
"""The Python pattern `weft fetch` comes from: every URL of a file fetched with asyncio.gather,
an asyncio.Semaphore(LIMIT) and one aiohttp ClientSession; each body read whole and dropped.
Run as a whole process by bench/fetch (start-up included, like every other tool there).
Prints one summary line to stderr; exit status 0 when every URL answered 200.

    fetch_gather.py URLS_FILE [--limit 64] [--uvloop]
"""
import argparse
import asyncio
import sys

import aiohttp


async def main(urls, limit):
    sem = asyncio.Semaphore(limit)
    ok = 0
    failed = 0

    async def get(session, url):
        nonlocal ok, failed
        async with sem:
            try:
                async with session.get(url) as r:
                    await r.read()
                    if r.status == 200:
                        ok += 1
                    else:
                        failed += 1
            except Exception:
                failed += 1

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(get(session, u) for u in urls))
    return ok, failed


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("urls")
    ap.add_argument("--limit", type=int, default=64)
    ap.add_argument("--uvloop", action="store_true")
    a = ap.parse_args()
    with open(a.urls) as f:
        urls = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    if a.uvloop:
        import uvloop
        uvloop.install()
    ok, failed = asyncio.run(main(urls, a.limit))
    print(f"fetch_gather: {ok} ok, {failed} failed of {len(urls)}"
          f" ({'uvloop' if a.uvloop else 'asyncio'}, limit {a.limit})", file=sys.stderr)
    sys.exit(0 if failed == 0 else 1)
