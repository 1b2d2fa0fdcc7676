"""Whole-process speed of `weft scan`, as a user runs it, two builds side by side (ADR 0112).

Runs `java -cp 'A/weft-cli.jar:A/lib/*' dev.weft.cli.Main scan --format json -o OUT TREE` for each
build in turn (A B A B ...), each under /usr/bin/time -v, and prints one row per run: CPU seconds
(user + sys), wall seconds, peak RSS, the load average before the run, the scanner's own summary
line, and whether the findings (fingerprint, rule, confidence, severity) equal the first build's.

  /usr/bin/python3 bench/scan-speed/ab.py --build before=DIR --build after=DIR --pairs 2 TREE...

DIR holds weft-cli.jar and lib/ (copy weft-cli/target/ of each build); DIR@OPTIONS adds JVM options
for that build only (e.g. `c1=DIR@-XX:TieredStopAtLevel=1`). Extra scanner options go
after `--`, e.g. `-- --no-detect-classpath`. CPU seconds are the figure to compare on a shared
machine: wall time follows the load.
"""
import argparse, json, os, re, subprocess, sys, tempfile, time


def run(java, build, tree, extra, out):
    build, _, opts = build.partition("@")
    cp = os.path.join(build, "weft-cli.jar") + os.pathsep + os.path.join(build, "lib", "*")
    load = open("/proc/loadavg").read().split()[0]
    cmd = ["/usr/bin/time", "-v", java] + os.environ.get("WEFT_JAVA_OPTS", "").split() + opts.split() + [
        "-cp", cp, "dev.weft.cli.Main", "scan", "--format", "json", "-o", out] + extra + [tree]
    p = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
    err = p.stderr
    def field(name):
        m = re.search(re.escape(name) + r": (.*)", err)
        return m.group(1).strip() if m else "?"
    user, sys_ = float(field("User time (seconds)")), float(field("System time (seconds)"))
    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")]
    wall_s = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024.0
    summary = [l for l in err.splitlines() if "finding(s)" in l]
    if not os.path.exists(out):
        sys.exit("the scan wrote no report (is JAVA_HOME a JDK 25?): " + " ".join(cmd) + "\n" + err[-2000:])
    with open(out) as f:
        fs = json.load(f)["findings"]
    key = sorted((x["fingerprint"], x["rule"], x.get("confidence"), x.get("severity")) for x in fs)
    return dict(cpu=user + sys_, wall=wall_s, rss=rss, load=load, summary=summary[-1] if summary else err[-300:],
                key=key)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append", required=True, help="NAME=DIR")
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("trees", nargs="+")
    args, extra = ap.parse_known_args()
    extra = [e for e in extra if e != "--"]
    if not os.environ.get("JAVA_HOME"):
        sys.exit("set JAVA_HOME first (source scripts/find-jdk.sh && weft_find_jdk)")
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    builds = [b.split("=", 1) for b in args.build]
    work = tempfile.mkdtemp(prefix="scan-speed-")
    print("| tree | build | run | CPU s | wall s | peak RSS MiB | load (1 min) | summary | findings as %s |"
          % builds[0][0])
    print("|---|---|---|---|---|---|---|---|---|")
    for tree in args.trees:
        first = None
        for i in range(args.pairs):
            for name, d in builds:
                r = run(java, d, tree, extra, os.path.join(work, "%s-%s-%d.json" % (os.path.basename(tree.rstrip("/")), name, i)))
                if first is None:
                    first = r["key"]
                same = "yes" if r["key"] == first else "NO (%d vs %d)" % (len(r["key"]), len(first))
                print("| %s | %s | %d | %.1f | %.1f | %.0f | %s | %s | %s |" % (
                    os.path.basename(tree.rstrip("/")), name, i + 1, r["cpu"], r["wall"], r["rss"], r["load"],
                    r["summary"].replace("weft scan: ", ""), same), flush=True)
    print("\nJSON reports: " + work)


if __name__ == "__main__":
    main()
