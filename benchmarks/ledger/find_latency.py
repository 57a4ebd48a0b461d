#!/usr/bin/env python3
"""Wall time of one `sohoa find --holder` process, run many times, for one or
more builds side by side (alternating), on an existing archive or a
PostgreSQL ledger (issue 22: a holder lookup in under 50 ms at 10 million
records). Prints min / median / p90 / max wall and median CPU per case.

  benchmarks/ledger/find_latency.py --holder ID --archive DIR [--ledger URL]
      [--sohoa PATH]... [--runs 30]

Run it on an idle machine: on 2 shared cores a waiting process measures the
queue, not the program."""
import argparse
import os
import resource
import statistics
import subprocess
import time


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--holder", required=True, help="a personal ID that is in the ledger")
    p.add_argument("--archive", required=True)
    p.add_argument("--ledger", help="postgresql://… (default: the archive's SQLite ledger)")
    p.add_argument("--sohoa", action="append", help="a build's sohoa (repeatable; default build/bin/sohoa)")
    p.add_argument("--runs", type=int, default=30)
    args = p.parse_args()
    builds = args.sohoa or ["build/bin/sohoa"]
    env = dict(os.environ)
    env.pop("SOHOA_LEDGER", None)
    if args.ledger:
        env["SOHOA_LEDGER"] = args.ledger
    wall = {b: [] for b in builds}
    cpu = {b: [] for b in builds}
    for _ in range(args.runs):
        for b in builds:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([b, "find", "--holder", args.holder, "--purpose", "benchmark", "--archive",
                                   args.archive], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0 or args.holder.encode() not in done.stdout:
                raise SystemExit("%s find failed (exit %d): %s" % (b, done.returncode, done.stderr.decode()[:300]))
            wall[b].append(elapsed)
            cpu[b].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    print("load average:", " ".join(open("/proc/loadavg").read().split()[:3]))
    for b in builds:
        w = sorted(wall[b])
        print("%s: wall ms min %.1f median %.1f p90 %.1f max %.1f; CPU ms median %.1f (%d runs)" % (
            b, w[0], statistics.median(w), w[int(0.9 * (len(w) - 1))], w[-1], statistics.median(cpu[b]), len(w)))


if __name__ == "__main__":
    main()
