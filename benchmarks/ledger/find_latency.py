#!/usr/bin/env python3
"""Wall time of one `sohoa find --holder` process, run many times, for one or
more builds side by side (alternating), on an existing archive or a
PostgreSQL ledger (issue 22: a holder lookup in under 50 ms at 10 million
records). Prints min / median / p90 / max wall and median CPU per case.

  benchmarks/ledger/find_latency.py --holder ID --archive DIR [--ledger URL]...
      [--sohoa PATH]... [--runs 30]

Several --ledger URLs alternate too: the same PostgreSQL ledger directly and
through a pooler (PgBouncer in session mode), for instance.

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
    p.add_argument("--ledger", action="append",
                   help="postgresql://… (repeatable; default: the archive's SQLite ledger)")
    p.add_argument("--sohoa", action="append", help="a build's sohoa (repeatable; default build/bin/sohoa)")
    p.add_argument("--runs", type=int, default=30)
    args = p.parse_args()
    builds = args.sohoa or ["build/bin/sohoa"]
    ledgers = args.ledger or [None]
    cases = [(b, l) for b in builds for l in ledgers]
    wall = {c: [] for c in cases}
    cpu = {c: [] for c in cases}
    for _ in range(args.runs):
        for case in cases:
            build, ledger = case
            env = dict(os.environ)
            env.pop("SOHOA_LEDGER", None)
            if ledger:
                env["SOHOA_LEDGER"] = ledger
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([build, "find", "--holder", args.holder, "--purpose", "benchmark", "--archive",
                                   args.archive], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0 or args.holder.encode() not in done.stdout:
                raise SystemExit("%s find failed (exit %d): %s" % (build, done.returncode, done.stderr.decode()[:300]))
            wall[case].append(elapsed)
            cpu[case].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    print("load average:", " ".join(open("/proc/loadavg").read().split()[:3]))
    for case in cases:
        w = sorted(wall[case])
        label = case[0] + (" on " + case[1] if case[1] else "")
        print("%s: wall ms min %.1f median %.1f p90 %.1f max %.1f; CPU ms median %.1f (%d runs)" % (
            label, w[0], statistics.median(w), w[int(0.9 * (len(w) - 1))], w[-1], statistics.median(cpu[case]),
            len(w)))


if __name__ == "__main__":
    main()
