#!/usr/bin/env python3
"""wrk benchmark, aiohttp side: /plaintext and /json on 127.0.0.1:PORT (0 picks one); prints
"port N" once listening. --uvloop installs uvloop's event loop.

    http_server.py PORT [--uvloop]
"""
import asyncio
import socket
import sys

from aiohttp import web

HELLO = b"Hello, World!"


async def plaintext(request):
    return web.Response(body=HELLO, content_type="text/plain")


async def json_route(request):
    return web.json_response({"message": "Hello, World!"})


def main():
    port = int([a for a in sys.argv[1:] if not a.startswith("--")][0])
    if "--uvloop" in sys.argv:
        import uvloop
        uvloop.install()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)  # connections queue from now on, so "port N" means ready
    print("port", sock.getsockname()[1], flush=True)
    app = web.Application()
    app.router.add_get("/plaintext", plaintext)
    app.router.add_get("/json", json_route)
    web.run_app(app, sock=sock, print=None, access_log=None)


if __name__ == "__main__":
    main()
