#!/usr/bin/env python3
"""Generates the static tree bench/fetch serves: N distinct files of 512..16384 bytes (sizes drawn
log-uniformly from a fixed seed, so every run of the same N serves the same bytes), 1,000 per
directory, world-readable (nginx workers run as www-data). Writes DIR/paths.txt (one URL path per
line, in a shuffled order) and DIR/files/... ; prints the total size. Idempotent: a tree whose
DIR/.complete says the same N and seed is kept.

    fetch_files.py DIR N [SEED]
"""
import math
import os
import random
import sys


def main(root, n, seed):
    stamp = os.path.join(root, ".complete")
    want = f"n={n} seed={seed} v1\n"
    if os.path.exists(stamp) and open(stamp).read() == want:
        print(f"fetch_files: reusing {n} files in {root}", file=sys.stderr)
        return
    rnd = random.Random(seed)
    files = os.path.join(root, "files")
    os.makedirs(files, exist_ok=True)
    os.chmod(root, 0o755)
    os.chmod(files, 0o755)
    pool = rnd.randbytes(16384 + 4096)
    paths = []
    total = 0
    lo, hi = math.log(512), math.log(16384)
    for i in range(n):
        d = f"d{i // 1000:04d}"
        if i % 1000 == 0:
            os.makedirs(os.path.join(files, d), exist_ok=True)
            os.chmod(os.path.join(files, d), 0o755)
        size = int(math.exp(rnd.uniform(lo, hi)))
        head = f"weft bench file {i}\n".encode()
        off = rnd.randrange(4096)
        body = head + pool[off:off + size - len(head)]
        rel = f"{d}/f{i:07d}.bin"
        p = os.path.join(files, rel)
        with open(p, "wb") as f:
            f.write(body)
        os.chmod(p, 0o644)
        paths.append("/" + rel)
        total += len(body)
    rnd.shuffle(paths)
    with open(os.path.join(root, "paths.txt"), "w") as f:
        f.write("\n".join(paths) + "\n")
    with open(stamp, "w") as f:
        f.write(want)
    print(f"fetch_files: wrote {n} files, {total / 1e6:.1f} MB, in {root}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 42)
