#!/usr/bin/python3
"""Turns the raw runs of scripts/bench.sh (WORK/runs.jsonl, WORK/cer-*.json,
WORK/default.1.log) into benchmarks/results/<date>-<host>.{md,json} and prints
the Markdown. Medians over repeats; peak RSS is the maximum over repeats."""
import argparse
import datetime
import json
import os
import platform
import socket
import statistics
import subprocess


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False,
                              shell=isinstance(cmd, str)).stdout.strip()
    except OSError:
        return ""


def machine(sohoa):
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return {
        "host": socket.gethostname(),
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "memory_mb": mem_kb // 1024,
        "kernel": platform.release(),
        "load_average_at_report": open("/proc/loadavg").read().split()[:3],
        "tesseract": sh(["tesseract", "--version"]).splitlines()[0:1],
        "ocrmypdf": sh(["ocrmypdf", "--version"]),
        "ghostscript": sh(["gs", "--version"]),
        "sohoa_binary": sohoa,
        "sohoa_git": sh(["git", "-C", root, "log", "-1", "--format=%h %cI %s"]),
        "sohoa_binary_mtime": datetime.datetime.fromtimestamp(
            os.path.getmtime(sohoa)).isoformat(timespec="seconds") if os.path.exists(sohoa) else "",
    }


def summarize(rows):
    pages = rows[0].get("pages", 0)
    walls = [r["wall_s"] for r in rows]
    cpus = [r["user_s"] + r["sys_s"] for r in rows]
    wall = statistics.median(walls)
    cpu = statistics.median(cpus)
    s = {
        "runs": len(rows),
        "pages": pages,
        "wall_s_median": round(wall, 2),
        "wall_s_all": walls,
        "cpu_s_median": round(cpu, 2),
        "cpu_s_all": [round(c, 2) for c in cpus],
        "pages_per_min": round(pages / wall * 60, 2) if wall else None,
        "cpu_s_per_page": round(cpu / pages, 3) if pages else None,
        "pages_per_cpu_min": round(pages / cpu * 60, 2) if cpu else None,
        "peak_rss_mb": round(max(r["max_rss_kb"] for r in rows) / 1024, 1),
        "load_before": [r["load_before"] for r in rows],
        "load_after": [r["load_after"] for r in rows],
    }
    if "pdf_bytes" in rows[0] and pages:
        s["bytes_per_page"] = int(rows[0]["pdf_bytes"] / pages)
    for key in ("outcomes", "failed", "processes", "documents"):
        if key in rows[0]:
            s[key] = rows[0][key]
    return s


def fmt(v, nd=2):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--sohoa", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--repeat", type=int, required=True)
    ap.add_argument("--note", default="")
    ap.add_argument("--tag", default="")
    args = ap.parse_args()

    runs = [json.loads(l) for l in open(os.path.join(args.work, "runs.jsonl")) if l.strip()]
    by_tool = {}
    for r in runs:
        by_tool.setdefault(r["tool"], []).append(r)
    summary = {tool: summarize(rows) for tool, rows in by_tool.items()}
    for tool, name in (("sohoa-default", "sohoa"), ("ocrmypdf", "ocrmypdf"), ("limit", "limit")):
        if tool not in summary:
            continue
        for field in ("text", "text_rows"):
            for sfx in ("", ".raw"):
                path = os.path.join(args.work, f"cer-{name}.{field}{sfx}.json")
                if os.path.exists(path):
                    c = json.load(open(path))
                    key = f"cer_{field}" + ("_raw" if sfx else "")
                    summary[tool][key] = c["cer"]
                    summary[tool][key + "_missing_pages"] = len(c["missing"])
    ratios = {}
    so = summary.get("sohoa-default")
    for other in ("ocrmypdf", "limit"):
        if so and other in summary:
            o = summary[other]
            ratios[f"sohoa/{other}"] = {
                "wall_pages_per_min": round(so["pages_per_min"] / o["pages_per_min"], 3),
                "cpu_pages_per_cpu_min": round(so["pages_per_cpu_min"] / o["pages_per_cpu_min"], 3),
            }
    profile = ""
    log = os.path.join(args.work, "default.1.log")
    if os.path.exists(log):
        profile = open(log, encoding="utf-8", errors="replace").read()

    now = datetime.datetime.now()
    mach = machine(args.sohoa)
    result = {
        "date": now.isoformat(timespec="seconds"),
        "machine": mach,
        "input": args.input,
        "jobs": args.jobs,
        "repeat": args.repeat,
        "note": args.note,
        "summary": summary,
        "ratios": ratios,
        "runs": runs,
        "sohoa_profile_log": profile,
    }

    md = []
    md.append(f"# sohoa throughput benchmark — {now:%Y-%m-%d %H:%M} on {mach['host']}\n")
    md.append(f"Machine: {mach['nproc']} CPUs ({mach['cpu_model']}), {mach['memory_mb']} MB RAM, "
              f"Linux {mach['kernel']}; {mach['tesseract'][0] if mach['tesseract'] else 'tesseract ?'}, "
              f"OCRmyPDF {mach['ocrmypdf']}, Ghostscript {mach['ghostscript']}; "
              f"sohoa {mach['sohoa_git']} (binary {mach['sohoa_binary_mtime']}).\n")
    md.append(f"Input: `{args.input}`; jobs {args.jobs}; {args.repeat} repeat(s), alternating "
              f"sohoa → ocrmypdf → limit → in-flight sweep; medians. Load average (1/5/15 min) "
              f"before/after each run is in the JSON; at report time {' '.join(mach['load_average_at_report'])}.\n")
    if args.note:
        md.append(args.note + "\n")
    md.append("## sohoa vs OCRmyPDF vs the OCR limit\n")
    md.append("| | pages | wall s | pages/min (wall) | CPU s (user+sys) | CPU s/page | pages/CPU-min | "
              "CER `text` | CER `text_rows` | CER `text` -raw | CER `text_rows` -raw | bytes/page | peak RSS MB | load before → after |")
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for tool, label in (("sohoa-default", "sohoa run (defaults)"),
                        ("ocrmypdf", "OCRmyPDF, 1 process/file, -P %d" % args.jobs),
                        ("limit", "OCR limit: tesseract CLI, 1 process/page, -P %d" % args.jobs)):
        if tool not in summary:
            continue
        s = summary[tool]
        md.append(f"| {label} | {s['pages']} | {fmt(s['wall_s_median'], 1)} | {fmt(s['pages_per_min'])} | "
                  f"{fmt(s['cpu_s_median'], 1)} | {fmt(s['cpu_s_per_page'])} | {fmt(s['pages_per_cpu_min'])} | "
                  f"{fmt(s.get('cer_text'), 4)} | {fmt(s.get('cer_text_rows'), 4)} | "
                  f"{fmt(s.get('cer_text_raw'), 4)} | {fmt(s.get('cer_text_rows_raw'), 4)} | "
                  f"{fmt(s.get('bytes_per_page'))} | {fmt(s['peak_rss_mb'], 1)} | "
                  f"{s['load_before'][0]} → {s['load_after'][0]} |")
    md.append("")
    for key, r in ratios.items():
        md.append(f"- **{key}**: {r['wall_pages_per_min']:.2f}× by wall-clock pages/min, "
                  f"{r['cpu_pages_per_cpu_min']:.2f}× by pages per CPU-minute")
    md.append("")
    md.append("Peak RSS: sohoa is one process; for OCRmyPDF and tesseract it is the largest single "
              "process (OCRmyPDF's figure includes its largest child), not the sum of the concurrent ones. "
              "CER: Levenshtein over code points after NFC and whitespace folding, summed over pages / "
              "truth characters (`scripts/bench_cer.py`), text from `pdftotext` in its default (physical layout) "
              "order and with `-raw` (content-stream order; the tesseract limit is plain text either way); `text` is truth in reading order (left header "
              "block, then right), `text_rows` merges the two header blocks row by row. "
              "The limit has no PDF, so no bytes/page.\n")
    inflight = sorted((t for t in summary if t.startswith("sohoa-inflight")),
                      key=lambda t: int(t[len("sohoa-inflight"):]))
    if inflight:
        md.append("## sohoa whole-graph throughput vs --pages-in-flight\n")
        md.append("| --pages-in-flight | wall s | pages/min (wall) | CPU s | pages/CPU-min | peak RSS MB | load before → after |")
        md.append("|---|---|---|---|---|---|---|")
        for t in inflight:
            s = summary[t]
            md.append(f"| {t[len('sohoa-inflight'):]} | {fmt(s['wall_s_median'], 1)} | {fmt(s['pages_per_min'])} | "
                      f"{fmt(s['cpu_s_median'], 1)} | {fmt(s['pages_per_cpu_min'])} | {fmt(s['peak_rss_mb'], 1)} | "
                      f"{s['load_before'][0]} → {s['load_after'][0]} |")
        md.append("")
    if profile:
        md.append("## sohoa run --profile (first default run)\n")
        md.append("```")
        md.append(profile.strip()[-4000:])
        md.append("```\n")
    text = "\n".join(md)

    os.makedirs(args.results, exist_ok=True)
    base = os.path.join(args.results, f"{now:%Y-%m-%d}-{mach['host']}" + (f"-{args.tag}" if args.tag else ""))
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    with open(base + ".md", "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(text)
    print(f"\nwritten: {base}.md and {base}.json")


if __name__ == "__main__":
    main()
