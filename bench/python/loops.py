"""Event-loop selection for the Python benchmarks: the default asyncio loop or uvloop."""
import asyncio
import sys


def add_loop_argument(parser):
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio",
                        help="event loop: the default asyncio loop, or uvloop (Debian: python3-uvloop)")


def runner(loop_name):
    """An asyncio.Runner on the chosen loop (a fresh loop each time)."""
    if loop_name == "uvloop":
        try:
            import uvloop
        except ImportError:
            sys.exit("uvloop is not installed for %s; install it with 'apt-get install python3-uvloop'"
                     % sys.executable)
        return asyncio.Runner(loop_factory=uvloop.new_event_loop)
    return asyncio.Runner()


def loop_version(loop_name):
    if loop_name == "uvloop":
        import uvloop
        return "uvloop " + uvloop.__version__
    return "asyncio (default loop)"
