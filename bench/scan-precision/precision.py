"""Runs `weft scan` over real code bases on this machine and scores it against labels.tsv.

Code bases (each a set of sources jars or the JDK's src.zip, linked into a work directory so that
finding paths, and so fingerprints, are the same on every machine):
  tuned    : the JDK (java.base, java.net.http), Jetty 12, picocli, HdrHistogram: read while the
             rules were made precise
  tuned later: Helidon 4.5 and Jackson 3, held out in ADR 0107 until Helidon's wrong WEFT301
             finding was fixed (ADR 0109)
  --extra NAME=PATH: any other tree or archive (e.g. a vert.x checkout), reported on its own;
             the results file says which of them are still held out (ADR 0109; after ADR 0111
             lettuce, vert.x, Kafka and ZooKeeper are tuned, Apache Curator is held out).

labels.tsv: fingerprint <TAB> right|wrong|debatable <TAB> rule <TAB> where <TAB> reason.
Precision = right / (right + wrong), and with debatable counted as right; unlabelled findings
are listed so they can be labelled.
"""
import argparse, collections, glob, json, os, re, shutil, subprocess, sys, time, zipfile

M2 = os.path.expanduser("~/.m2/repository")
JDK_MODULES = ("java.base", "java.net.http")


def jars(patterns):
    out = []
    for p in patterns:
        out += sorted(glob.glob(os.path.join(M2, p), recursive=True))
    return out


def code_bases(java_home):
    return {
        "tuned": {
            "jdk": [os.path.join(java_home, "lib", "src.zip")],
            "jetty": jars(["org/eclipse/jetty/jetty-*/12.*/jetty-*-sources.jar"]),
            # no longer a dependency of weft (ADR 0333), still a tuned code base: its sources jar comes from
            # `mvn dependency:get -Dartifact=info.picocli:picocli:4.7.7:jar:sources` (a missing jar is skipped)
            "picocli": jars(["info/picocli/picocli/4.7.7/*-sources.jar"]),
            "hdrhistogram": jars(["org/hdrhistogram/HdrHistogram/2.2.2/*-sources.jar"]),
        },
        "tuned later": {
            "helidon": jars(["io/helidon/**/4.5.0/*-sources.jar"]),
            "jackson": jars(["tools/jackson/core/*/3.*/*-sources.jar"]),
        },
    }


def link(work, name, paths):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    out = []
    for p in paths:
        if not os.path.exists(p):
            continue
        if os.path.isdir(p):
            out.append(os.path.abspath(p))  # the scanner does not follow a symlinked directory
            continue
        dst = os.path.join(d, os.path.basename(p.rstrip("/")))
        if not os.path.lexists(dst):
            os.symlink(os.path.abspath(p), dst)
        out.append(os.path.relpath(dst, work))
    return out


def jdk_excludes(src_zip):
    mods = set()
    with zipfile.ZipFile(src_zip) as z:
        for n in z.namelist():
            mods.add(n.split("/", 1)[0])
    return ["jdk/src.zip/%s/**" % m for m in sorted(mods) if m not in JDK_MODULES]


def weft_command(root, java_home):
    """`weft` builds when sources changed; build once, then run the CLI's JVM directly."""
    subprocess.run([os.path.join(root, "weft"), "--version"], stdout=subprocess.DEVNULL, check=True)
    cp = os.path.join(root, "weft-cli", "target", "weft-cli.jar") + os.pathsep + os.path.join(
        root, "weft-cli", "target", "lib", "*")
    return [os.path.join(java_home, "bin", "java")] + os.environ.get("WEFT_JAVA_OPTS", "").split() + [
        "-cp", cp, "dev.weft.cli.Main"]


def scan(weft, work, name, paths, excludes):
    out = os.path.join(work, name + ".json")
    cmd = weft + ["scan", "--format", "json", "-o", out, "--no-detect-classpath"]
    for e in excludes:
        cmd += ["--exclude", e]
    cmd += paths
    t = time.time()
    p = subprocess.run(cmd, cwd=work, stderr=subprocess.PIPE, text=True)
    summary = [l for l in p.stderr.splitlines() if "finding(s)" in l]
    print("  %-13s %s (%.0f s)" % (name, summary[-1] if summary else p.stderr.strip()[-300:], time.time() - t),
          flush=True)
    with open(out) as f:
        return json.load(f)["findings"]


def read_labels(path):
    labels = {}
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            labels[parts[0]] = (parts[1], parts[2], parts[3], parts[4] if len(parts) > 4 else "")
    return labels


TEST_ROOT = re.compile(r"/src/(?:test|[A-Za-z0-9_]*Test[A-Za-z0-9_]*)/java/")  # Sources.TEST_PATH in weft-scan
_junit = {}


def imports_junit(path):
    """Whether a file on disk imports JUnit or TestNG (the scanner takes such a unit for a test)."""
    if path not in _junit:
        try:
            with open(path, encoding="utf-8", errors="replace") as src:
                _junit[path] = re.search(r"^import\s+(?:static\s+)?org\.(?:junit|testng)\.", src.read(),
                                         re.M) is not None
        except OSError:
            _junit[path] = False  # inside an archive: judged on the path alone
    return _junit[path]


def is_test(f):
    """Test code as the scanner sees it: Maven/Gradle test trees, Gradle source sets named like tests
    (src/jsr166Test/java, src/androidTest/java), and (round 6) a unit that imports JUnit or TestNG,
    such as a test suite module's src/main (it lowers their severity)."""
    p = "/" + f["path"].replace("\\", "/")
    return ("/src/test/" in p or "/src/testFixtures/" in p or "/src/integrationTest/" in p or "/test/" in p
            or TEST_ROOT.search(p) is not None or imports_junit(f["path"]))


def pct(a, b):
    return "n/a" if b == 0 else "%.0f%%" % (100.0 * a / b)


def table(title, findings, labels):
    rows = collections.defaultdict(lambda: collections.Counter())
    for f in findings:
        lab = labels.get(f["fingerprint"])
        rows[f["rule"]]["findings"] += 1
        rows[f["rule"]][lab[0] if lab else "unlabelled"] += 1
    tot = collections.Counter()
    lines = ["", "### " + title, "",
             "| rule | findings | labelled | right | wrong | debatable | precision | with debatable as right |",
             "|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows):
        c = rows[r]
        tot.update(c)
        lab = c["right"] + c["wrong"] + c["debatable"]
        lines.append("| %s | %d | %d | %d | %d | %d | %s | %s |" % (r, c["findings"], lab, c["right"], c["wrong"],
                     c["debatable"], pct(c["right"], c["right"] + c["wrong"]),
                     pct(c["right"] + c["debatable"], lab)))
    lab = tot["right"] + tot["wrong"] + tot["debatable"]
    lines.append("| **all** | %d | %d | %d | %d | %d | **%s** | %s |" % (tot["findings"], lab, tot["right"],
                 tot["wrong"], tot["debatable"], pct(tot["right"], tot["right"] + tot["wrong"]),
                 pct(tot["right"] + tot["debatable"], lab)))
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--no-scan", action="store_true", help="score the JSON of the last run again")
    ap.add_argument("--extra", action="append", default=[], help="NAME=PATH, reported on its own")
    ap.add_argument("--only", default=None,
                    help="NAME,... scan only these code bases; score the others from their last JSON")
    ap.add_argument("--work", default=None, help="work directory (default: bench/results/raw/scan-precision)")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    work = a.work or os.path.join(a.root, "bench", "results", "raw", "scan-precision")
    os.makedirs(work, exist_ok=True)
    java_home = os.environ.get("JAVA_HOME") or subprocess.run(
        ["bash", "-c", "source '%s/scripts/find-jdk.sh' && weft_find_jdk >/dev/null && echo $JAVA_HOME" % a.root],
        capture_output=True, text=True).stdout.strip()
    groups = code_bases(java_home)
    if a.extra:
        groups["extra"] = {}
        for e in a.extra:
            n, p = e.split("=", 1)
            groups["extra"][n] = [p]
    labels = read_labels(os.path.join(here, "labels.tsv"))
    print("weft scan precision: %s; uptime: %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
          subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()))
    weft = None if a.no_scan else weft_command(a.root, java_home)
    if a.only:
        print("scanned now: %s; the others scored from their last JSON" % a.only)
    report = []
    unlabelled = []
    all_found = {}
    for group, bases in groups.items():
        found = []
        for name, paths in bases.items():
            rel = link(work, name, paths)
            if not rel:
                print("  %-13s not on this machine, skipped" % name)
                continue
            js = os.path.join(work, name + ".json")
            reuse = a.no_scan or (a.only is not None and name not in a.only.split(","))
            if reuse and os.path.exists(js):
                with open(js) as f:
                    fs = json.load(f)["findings"]
            else:
                ex = jdk_excludes(paths[0]) if name == "jdk" else []
                fs = scan(weft, work, name, rel, ex)
            for f in fs:
                f["base"] = name
            found += fs
        all_found[group] = found
        report += table("%s (%s)" % (group, ", ".join(bases)), found, labels)
        for f in found:
            if f["fingerprint"] not in labels:
                unlabelled.append((group, f))
    report += table("all code bases", [f for fs in all_found.values() for f in fs], labels)
    if "extra" in all_found:
        # each extra code base on its own, and its production and test code apart (issue 12: test code
        # is reported at lower severity, so the two are judged separately)
        for name in groups["extra"]:
            fs = [f for f in all_found["extra"] if f["base"] == name]
            prod = [f for f in fs if not is_test(f)]
            report += table("%s" % name, fs, labels)
            report += table("%s, production code" % name, prod, labels)
            report += table("%s, test code" % name, [f for f in fs if is_test(f)], labels)
    print("\n".join(report))
    stale = set(labels) - {f["fingerprint"] for fs in all_found.values() for f in fs}
    if stale:
        print("\n%d label(s) match no finding of this run (the rule no longer fires there, or the code moved)"
              % len(stale))
    if unlabelled:
        path = os.path.join(work, "unlabelled.tsv")
        with open(path, "w") as out:
            for group, f in unlabelled:
                out.write("%s\t?\t%s\t%s:%d\t%s [%s, %s]\n" % (f["fingerprint"], f["rule"], f["path"], f["line"],
                          f["message"][:160], group, f["severity"]))
        print("%d unlabelled finding(s): %s" % (len(unlabelled), path))


if __name__ == "__main__":
    main()
