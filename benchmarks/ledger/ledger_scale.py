#!/usr/bin/env python3
"""Ledger at national scale (issue 22): generate a ledger of N documents on
SQLite and/or PostgreSQL with SQL alone, then time the readers.

Not a test: it prints and writes figures (wall time and peak RSS from GNU
time -v) of `sohoa find` (holder ID, name + birth date), `status`,
`report --format json` and `export`, and the ledger's bytes per million
documents. Needs a built sohoa, sqlite3, GNU time (Debian `time`) and, for
PostgreSQL, the server binaries (/usr/lib/postgresql/<v>/bin); as root the
cluster runs as the `postgres` user, as in tests/support/postgres_cluster.h.

  benchmarks/ledger/ledger_scale.py --records 1000000 --backend sqlite postgres \\
      --work /tmp/ledger-bench --out benchmarks/results/ledger-scale.json
"""
import argparse
import datetime
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

NAMES = {
    'family': (['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'],
               ['nguyen', 'tran', 'le', 'pham', 'hoang', 'vu', 'dang', 'bui']),
    'middle': (['Văn', 'Thị', 'Hữu', 'Minh', 'Đức'], ['van', 'thi', 'huu', 'minh', 'duc']),
    'given': (['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Lan', 'Mai', 'Nam', 'Phúc', 'Quang', 'Sơn', 'Tâm',
               'Thảo', 'Tuấn', 'Vy', 'Yến'],
              ['an', 'binh', 'cuong', 'dung', 'ha', 'lan', 'mai', 'nam', 'phuc', 'quang', 'son', 'tam',
               'thao', 'tuan', 'vy', 'yen']),
}
TYPES = ['khai_sinh', 'khai_sinh', 'khai_sinh', 'ket_hon', 'khai_tu', 'tinh_trang_hon_nhan']


class Dialect:
    """The few expressions SQLite and PostgreSQL write differently."""

    def __init__(self, sqlite):
        self.sqlite = sqlite

    def pick(self, values, index):
        if self.sqlite:
            return "json_extract('%s', '$[' || (%s) || ']')" % (json.dumps(values, ensure_ascii=False), index)
        return "(ARRAY[%s])[(%s) + 1]" % (', '.join("'%s'" % v for v in values), index)

    def pad(self, expr, width):
        return "printf('%%0%dd', %s)" % (width, expr) if self.sqlite else "lpad((%s)::text, %d, '0')" % (expr, width)

    def hex64(self, expr):
        return "printf('%%064x', %s)" % expr if self.sqlite else "lpad(to_hex(%s), 64, '0')" % expr

    def add_days(self, day, expr):
        if self.sqlite:
            return "date('%s', '+' || (%s) || ' days')" % (day, expr)
        return "('%s'::date + (%s)::int)::text" % (day, expr)

    def rows(self, first, last):
        if self.sqlite:
            return ("(WITH RECURSIVE s(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s)"
                    % (first, last))
        return "generate_series(%d, %d) AS i" % (first, last)


def fill_sql(first, last, d):
    """Documents first..last (one transaction)."""
    name = " || ' ' || ".join(d.pick(NAMES[k][0], "(i / %d) %% %d" % (m, len(NAMES[k][0])))
                              for k, m in (('family', 1), ('middle', 8), ('given', 40)))
    key = " || ' ' || ".join(d.pick(NAMES[k][1], "(i / %d) %% %d" % (m, len(NAMES[k][1])))
                             for k, m in (('family', 1), ('middle', 8), ('given', 40)))
    seq_col, seq_val = (", seq", ", i") if d.sqlite else ("", "")
    details = """'{"format":"tiff","bytes":2456789,"pages":[{"blank":false,"dpi":[300,300],"ocr_confidence":0.91},{"blank":false,"dpi":[300,300],"ocr_confidence":0.88}],'
  || '"stage_seconds":{"ingest":0.21,"orient":0.83,"deskew":0.45,"ocr":4.12,"encode":0.66,"fields":0.05,"pdf":0.71,"sign":0.31,"archive":0.12},'
  || '"outputs":{"pdf":{"path":"bags/' || run || '/data/' || sha || '.pdf","sha256":"' || sha || '","bytes":734512},'
  || '"text":{"path":"bags/' || run || '/data/' || sha || '.txt","sha256":"' || sha || '","bytes":2211},'
  || '"fields":{"path":"bags/' || run || '/data/' || sha || '.fields.json","sha256":"' || sha || '","bytes":1311}},'
  || '"review_reasons":[],"metadata":{"doc_type":"' || doc_type || '","doc_type_code":"KS","holder_id":"' || holder
  || '","result_code":"' || holder || '.KS","record_id":"R' || i || '","signed":"[\\"staff\\",\\"org\\"]"},'
  || '"fields":{"so":{"value":"' || (i % 1000) || '","confidence":0.93},"quyen_so":{"value":"01/' || substr(issue_date, 1, 4) || '","confidence":0.9},'
  || '"ho_ten":{"value":"' || name || '","confidence":0.87},"ngay_sinh":{"value":"' || birth_date || '","confidence":0.9},'
  || '"so_dinh_danh":{"value":"' || holder || '","confidence":0.95},"ngay_dang_ky":{"value":"' || issue_date || '","confidence":0.92}}}'"""
    return f"""
BEGIN;
CREATE TEMP TABLE gen AS SELECT i,
  {d.hex64('i')} AS sha,
  'run-' || {d.pad('i / 10000', 6)} AS run,
  CASE WHEN i % 100 < 90 THEN 'archived' WHEN i % 100 < 97 THEN 'review' ELSE 'quarantined' END AS status,
  '0' || {d.pad('i', 11)} AS holder,
  {d.pick(TYPES, 'i % 6')} AS doc_type,
  {name} AS name, {key} AS name_key,
  {d.add_days('1950-01-01', 'i % 25000')} AS birth_date,
  {d.add_days('1990-01-01', 'i % 12000')} AS issue_date
FROM {d.rows(first, last)};
INSERT INTO runs(run_id, started_at, finished_at, host, pid, input, state, counts_json)
SELECT DISTINCT run, '2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z', 'bench', 1, '/scans', 'finished',
  '{{"enumerated":10000,"archived":9000,"review":700,"quarantined":300,"pages":20000,"wall_seconds":3600}}' FROM gen
  WHERE true ON CONFLICT DO NOTHING;
INSERT INTO inputs(sha256, source, status, reason, pages, pdf, text, run_id, first_seen, updated_at, seconds,
                   details_json{seq_col})
SELECT sha, 'scans/book-' || (i / 100) || '/' || i || '.tif', status,
  CASE status WHEN 'archived' THEN '' WHEN 'review' THEN 'fields: ho_ten read with confidence 71% < 80%'
    ELSE 'page 1: not an image' END, 2,
  CASE WHEN status = 'quarantined' THEN '' ELSE 'bags/' || run || '/data/' || sha || '.pdf' END,
  CASE WHEN status = 'quarantined' THEN '' ELSE 'bags/' || run || '/data/' || sha || '.txt' END,
  run, '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', 7.5,
  CASE WHEN status = 'quarantined' THEN '{{"format":"tiff","bytes":1000}}' ELSE {details} END{seq_val}
FROM gen ORDER BY i;
INSERT INTO sources(sha256, path, first_seen)
  SELECT sha, 'scans/book-' || (i / 100) || '/' || i || '.tif', '2025-01-01T00:00:00Z' FROM gen;
INSERT INTO input_bags(bag, sha256) SELECT run, sha FROM gen WHERE status <> 'quarantined';
INSERT INTO record_persons(sha256, name_key, birth_date)
  SELECT sha, name_key, birth_date FROM gen WHERE status <> 'quarantined';
INSERT INTO inventory(record_id, doc_type, number, book, issue_date, holder_id, valid, source, imported_at, updated_at)
SELECT 'R' || i, doc_type, (i % 1000) || '', '01/' || substr(issue_date, 1, 4), issue_date, holder,
  {'1' if d.sqlite else 'true'}, 'register.csv', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z' FROM gen;
DROP TABLE gen;
COMMIT;
"""


def fill_chunks(args, n, d, execute):
    """Fills documents 1..n a chunk at a time (one transaction each), until
    n or until --fill-minutes have passed; returns (documents, seconds)."""
    start, done = time.time(), 0
    while done < n:
        last = min(n, done + args.chunk)
        execute(fill_sql(done + 1, last, d))
        done = last
        print(json.dumps({"filled": done, "seconds": round(time.time() - start, 1)}), flush=True)
        if time.time() - start > args.fill_minutes * 60:
            break
    return done, time.time() - start


def run(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def timed(label, cmd, env, timeout):
    """Wall seconds and peak RSS (MB) of `cmd` by GNU time -v."""
    t = subprocess.run(["/usr/bin/time", "-v", "bash", "-c", cmd + " > /dev/null"], env=env,
                       stderr=subprocess.PIPE, text=True, timeout=timeout)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t.stderr)
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", t.stderr))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t.stderr)
    parts = [float(p) for p in wall.group(1).split(":")] if wall else [0]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    result = {"command": label, "exit": t.returncode, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
              "peak_rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
              "load_1min": round(os.getloadavg()[0], 2)}  # the machine is shared: how busy it was
    print(json.dumps(result), flush=True)
    return result


HOLDER_SQL = ("SELECT sha256, source, status, reason, pages, pdf, text, run_id, updated_at, seconds, details_json "
              "FROM inputs WHERE holder_id='{holder}' AND status IN ('archived','review') ORDER BY seq LIMIT 101")


def PLANNED(n, sqlite):
    """Queries whose plans the result records (each must search an index,
    not scan the table): the holder lookup and status's counts."""
    return {"holder lookup": HOLDER_SQL.format(holder="0%011d" % (n // 2)),
            "status counts": "SELECT status, documents, pages FROM status_counts" if sqlite else
            "SELECT status, SUM(documents), SUM(pages) FROM (SELECT * FROM status_counts UNION ALL "
            "SELECT * FROM status_count_changes) c GROUP BY status",
            "report: register books": "SELECT sha256 FROM inputs WHERE " + (
                "record_kind IS NOT NULL" if sqlite else "sohoa_metadata(details_json, 'record_kind') IS NOT NULL")
            + " AND status <> 'processing' ORDER BY seq",
            "report: keyed records": "SELECT sha256 FROM inputs WHERE " + (
                "keyed" if sqlite else "sohoa_details_has(details_json, 'keying')")
            + " AND status <> 'processing' ORDER BY seq"}


def query_ms(cli, n, parse):
    """The holder lookup as the ledger issues it, timed by the database's own
    client (no sohoa process start-up): the best of 5."""
    sql = HOLDER_SQL.format(holder="0%011d" % (n // 2))
    best = None
    for _ in range(5):
        out = subprocess.run(cli(sql), shell=True, capture_output=True, text=True).stdout
        ms = parse(out)
        best = ms if best is None or (ms is not None and ms < best) else best
    print(json.dumps({"command": "holder lookup query", "best_of_5_ms": best}), flush=True)
    return best


def syncs(cmd, env):
    """How many fsync/fdatasync calls `cmd` makes (strace -c), or None without strace: what
    SQLite's durability costs a `find` (its audit entry) beyond its CPU."""
    if not shutil.which("strace"):
        return None
    out = subprocess.run(["strace", "-f", "-c", "-e", "trace=fsync,fdatasync", "bash", "-c", cmd + " > /dev/null"],
                         env=env, stderr=subprocess.PIPE, text=True).stderr
    counts = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)(?:\s+\d+)?\s+(\w+)$",
                                                                 out, re.M)}
    print(json.dumps({"command": "find --holder syncs", "calls": counts}), flush=True)
    return counts


def commands(n):
    holder = "0%011d" % (n // 2)  # a document in the middle of the ledger
    i = n // 2
    fam = NAMES['family'][1][i % 8]
    mid = NAMES['middle'][1][(i // 8) % 5]
    giv = NAMES['given'][1][(i // 40) % 16]
    birth = (datetime.date(1950, 1, 1) + datetime.timedelta(days=i % 25000)).isoformat()
    # Short commands run several times (the machine is shared: the best is
    # the least disturbed run).
    return [("find --holder", f"find --holder {holder} --purpose benchmark")] * 5 + [
        ("find --name --birth-date", f"find --name '{fam} {mid} {giv}' --birth-date {birth} --purpose benchmark"),
    ] * 3 + [("status", "status")] * 3 + [
        ("report --format json", "report --format json --as-of 2025-06-30"),
        ("export", "export"),
    ]


def bench_sqlite(args, n, results):
    archive = args.existing or os.path.join(args.work, "sqlite-%d" % n)
    ledger = os.path.join(archive, "ledger.sqlite")
    if not args.existing:
        shutil.rmtree(archive, ignore_errors=True)
        os.makedirs(os.path.join(args.work, "empty"), exist_ok=True)
        # The schema is sohoa's own: a run over an empty folder creates the ledger.
        subprocess.run([args.sohoa, "run", "--input", os.path.join(args.work, "empty"), "--archive", archive],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A rollback journal while filling: in WAL mode one chunk's pages would all
    # wait in the write-ahead log (the size of the chunk again on disk).
    # sohoa turns WAL back on when it opens the ledger.
    fast = "PRAGMA journal_mode=DELETE;\nPRAGMA synchronous=OFF;\nPRAGMA cache_size=-500000;\n"
    fill = None  # --existing: filled before, by an earlier run of this script
    if not args.existing:
        n, fill = fill_chunks(args, n, Dialect(True), lambda sql: subprocess.run(
            ["sqlite3", ledger], input=fast + sql, text=True, check=True, stdout=subprocess.DEVNULL))
    size = sum(os.path.getsize(p) for p in glob.glob(ledger + "*"))
    entry = {"backend": "sqlite", "records": n, "fill_seconds": fill and round(fill, 1), "ledger_bytes": size,
             "bytes_per_million": round(size * 1e6 / n), "commands": []}
    print(json.dumps({k: v for k, v in entry.items() if k != "commands"}), flush=True)
    entry["startup"] = timed("version (process start-up)", f"{args.sohoa} version", os.environ, args.timeout)
    # The first sohoa to open a ledger applies its pending migrations (an
    # --existing ledger of an older schema): timed apart, before the plans
    # and the readers, which then see the up-to-date schema.
    entry["first_open"] = timed("first open (applies migrations)", f"{args.sohoa} status --archive {archive}",
                                os.environ, args.timeout)
    # Where the bytes go: each table's and index's pages (SQLite's dbstat; a
    # read of the whole file, so optional).
    out = "" if args.no_dbstat else subprocess.run(
        ["sqlite3", "-separator", " ", ledger, "SELECT name, SUM(pgsize), SUM(payload), SUM(unused) FROM dbstat "
         "GROUP BY name ORDER BY 2 DESC"], capture_output=True, text=True).stdout
    entry["bytes_per_record"] = {name: {"pages": round(int(b) / n, 1), "payload": round(int(p) / n, 1),
                                        "unused": round(int(u) / n, 1)}
                                 for name, b, p, u in (line.split() for line in out.splitlines())
                                 if int(b) / n >= 1}
    print(json.dumps({"bytes_per_record": entry["bytes_per_record"]}), flush=True)
    entry["plans"] = {label: subprocess.run(["sqlite3", ledger, "EXPLAIN QUERY PLAN " + sql],
                                            capture_output=True, text=True).stdout.strip()
                      for label, sql in PLANNED(n, True).items()}
    print(json.dumps({"plans": entry["plans"]}, ensure_ascii=False), flush=True)

    def parse(out):
        m = re.search(r"Run Time: real ([\d.]+)", out)
        return round(float(m.group(1)) * 1000, 2) if m else None
    script = os.path.join(args.work, "holder-query.sql")

    def sqlite_cli(sql):
        with open(script, "w") as f:
            f.write(".timer on\n" + sql + ";\n")
        return f"sqlite3 {ledger} < {script}"
    entry["holder_query_ms"] = query_ms(sqlite_cli, n, parse)
    for label, cmd in commands(n):
        if label not in args.skip:
            entry["commands"].append(timed(label, f"{args.sohoa} {cmd} --archive {archive}", os.environ,
                                           args.timeout))
    entry["find_syncs"] = syncs(f"{args.sohoa} {commands(n)[0][1]} --archive {archive}", os.environ)
    results.append(entry)


def bench_postgres(args, n, results):
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        sys.exit("no PostgreSQL server binaries under /usr/lib/postgresql")
    bin_dir = os.path.dirname(bins[-1])
    root = os.path.join(args.work, "pg-%d" % n)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "sock"))
    as_owner = "runuser -u postgres -- " if os.geteuid() == 0 else ""
    if os.geteuid() == 0:
        run(f"chown -R postgres: {root}")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    run(f"{as_owner}{bin_dir}/initdb -D {root}/data -U sohoa -E UTF8 --no-sync --auth=trust > /dev/null")
    # A throwaway cluster: no fsync, no full-page images (the fill is redone,
    # never recovered).
    opts = (f"-p {port} -k {root}/sock -c listen_addresses=127.0.0.1 -c shared_buffers=256MB "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_wal_size=2GB")
    run(f"{as_owner}{bin_dir}/pg_ctl -D {root}/data -o '{opts}' -l {root}/server.log -w -t 60 start > /dev/null")
    try:
        psql = f"{bin_dir}/psql -q -h 127.0.0.1 -p {port} -U sohoa"
        run(f"{psql} -d postgres -c 'CREATE DATABASE sohoa'")
        url = f"postgresql://sohoa@127.0.0.1:{port}/sohoa"
        env = dict(os.environ, SOHOA_LEDGER=url)
        subprocess.run([args.sohoa, "status"], env=env, stdout=subprocess.DEVNULL)  # creates the schema
        start = time.time()
        n, _ = fill_chunks(args, n, Dialect(False), lambda sql: subprocess.run(
            f"{psql} -d sohoa -v ON_ERROR_STOP=1", shell=True, input=sql, text=True, check=True))
        run(f"{psql} -d sohoa -c 'VACUUM ANALYZE'")
        fill = time.time() - start
        size = int(subprocess.run(f"{psql} -d sohoa -At -c \"SELECT pg_database_size('sohoa')\"", shell=True,
                                  capture_output=True, text=True, check=True).stdout.strip())
        entry = {"backend": "postgres", "records": n, "fill_seconds": round(fill, 1), "ledger_bytes": size,
                 "bytes_per_million": round(size * 1e6 / n), "commands": []}
        print(json.dumps({k: v for k, v in entry.items() if k != "commands"}), flush=True)

        rel = subprocess.run(f"{psql} -d sohoa -At -F ' ' -c \"SELECT relname, pg_total_relation_size(oid) FROM "
                             f"pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC\"",
                             shell=True, capture_output=True, text=True).stdout
        entry["bytes_per_record"] = {name: round(int(b) / n, 1) for name, b in
                                     (line.split() for line in rel.splitlines()) if int(b) / n >= 1}
        print(json.dumps({"bytes_per_record (table, its TOAST and indexes)": entry["bytes_per_record"]}), flush=True)
        entry["plans"] = {label: subprocess.run(f"{psql} -d sohoa -At -c \"EXPLAIN {sql}\"", shell=True,
                                                capture_output=True, text=True).stdout.strip()
                          for label, sql in PLANNED(n, False).items()}
        print(json.dumps({"plans": entry["plans"]}, ensure_ascii=False), flush=True)

        def parse(out):
            m = re.search(r"Time: ([\d.]+) ms", out)
            return float(m.group(1)) if m else None
        entry["holder_query_ms"] = query_ms(lambda sql: f"{psql} -d sohoa -c '\\timing on' -c \"{sql}\"", n, parse)
        for label, cmd in commands(n):
            if label not in args.skip:
                entry["commands"].append(timed(label, f"{args.sohoa} {cmd}", env, args.timeout))
        results.append(entry)
    finally:
        run(f"{as_owner}{bin_dir}/pg_ctl -D {root}/data -m immediate -w stop > /dev/null")
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, nargs="+", default=[1000000])
    p.add_argument("--backend", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    p.add_argument("--sohoa", default="build/bin/sohoa")
    p.add_argument("--work", default="/tmp/sohoa-ledger-bench")
    p.add_argument("--timeout", type=int, default=900, help="seconds allowed per command")
    p.add_argument("--chunk", type=int, default=1000000, help="documents per fill transaction")
    p.add_argument("--fill-minutes", type=float, default=1e9,
                   help="stop filling after the chunk that passes this; the figures are for the size reached")
    p.add_argument("--keep", action="store_true", help="keep the generated ledgers")
    p.add_argument("--existing", help="SQLite: measure this archive (filled by an earlier --keep run with "
                                      "--records documents) instead of generating one")
    p.add_argument("--out", help="write the figures here as JSON")
    p.add_argument("--skip", nargs="*", default=[], help="commands not to time (e.g. export)")
    p.add_argument("--no-dbstat", action="store_true", help="SQLite: no bytes per table and index (reads the file)")
    args = p.parse_args()
    args.sohoa = os.path.abspath(args.sohoa)
    os.makedirs(args.work, exist_ok=True)
    results = []
    for n in args.records:
        for backend in args.backend:
            (bench_sqlite if backend == "sqlite" else bench_postgres)(args, n, results)
            if backend == "sqlite" and not args.keep and not args.existing:
                shutil.rmtree(os.path.join(args.work, "sqlite-%d" % n), ignore_errors=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"host": socket.gethostname(), "date": time.strftime("%Y-%m-%d"), "results": results}, f,
                      indent=2)


if __name__ == "__main__":
    main()
