#!/usr/bin/env python3
"""Draws benchmarks/results/performance.svg from benchmarks/results/bdn.csv (BenchmarkDotNet's joined report) and
benchmarks/results/http-load.tsv (http-load.sh). Standard library only."""
import csv
import math
import os
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


def micros(text):
    value, unit = text.replace(",", "").split()
    scale = {"ns": 0.001, "μs": 1.0, "us": 1.0, "ms": 1000.0, "s": 1_000_000.0}[unit]
    return float(value) * scale


def load_bdn():
    rows = []
    with open(os.path.join(RESULTS, "bdn.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append({
                "group": f"{r['Categories']} {r['Algorithm']}",
                "method": r["Method"].strip("'"),
                "mean": micros(r["Mean"]),
                "ratio": r["Ratio"],
                "alloc": r["Allocated"],
            })
    return rows


def load_http():
    path = os.path.join(RESULTS, "http-load.tsv")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]
    header, body = lines[0], lines[1:]
    return [dict(zip(header, row)) for row in body]


COLORS = {"raw": "#9e9e9e", "TokenAuthority": "#1565c0", "JsonWebTokenHandler": "#ef6c00"}


def color(method):
    if method.startswith("raw"):
        return COLORS["raw"]
    if method.startswith("JsonWebTokenHandler"):
        return COLORS["JsonWebTokenHandler"]
    return COLORS["TokenAuthority"]


def main():
    bdn = load_bdn()
    http = load_http()
    width, left, bar_h, gap = 980, 430, 16, 4
    lo = min(r["mean"] for r in bdn)
    hi = max(r["mean"] for r in bdn)
    lmin, lmax = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    span = width - left - 160

    def x(v):
        return left + (math.log10(v) - lmin) / (lmax - lmin) * span

    out, y = [], 40
    out.append(f'<text x="10" y="22" font-size="16" font-weight="bold">TokenAuthority: time per operation (log scale; ratio to the raw-crypto floor of the same run)</text>')
    groups = []
    for r in bdn:
        if r["group"] not in groups:
            groups.append(r["group"])
    for g in groups:
        out.append(f'<text x="10" y="{y + 12}" font-size="13" font-weight="bold">{escape(g)}</text>')
        y += bar_h + gap
        for r in (r for r in bdn if r["group"] == g):
            out.append(f'<text x="{left - 8}" y="{y + 12}" font-size="12" text-anchor="end">{escape(r["method"])}</text>')
            out.append(f'<rect x="{left}" y="{y}" width="{max(1.0, x(r["mean"]) - left):.1f}" height="{bar_h}" fill="{color(r["method"])}"/>')
            label = f'{r["mean"]:.2f} µs  ×{r["ratio"]}  {r["alloc"]}'
            out.append(f'<text x="{x(r["mean"]) + 6:.1f}" y="{y + 12}" font-size="11">{escape(label)}</text>')
            y += bar_h + gap
        y += 6
    for p in range(lmin, lmax + 1):
        out.append(f'<line x1="{x(10 ** p):.1f}" y1="34" x2="{x(10 ** p):.1f}" y2="{y}" stroke="#ddd"/>')
        out.append(f'<text x="{x(10 ** p):.1f}" y="{y + 14}" font-size="11" text-anchor="middle">{10 ** p:g} µs</text>')
    y += 40

    if http:
        out.append(f'<text x="10" y="{y}" font-size="16" font-weight="bold">HTTP requests/s (wrk, loopback; p50 / p99 latency)</text>')
        y += 14
        top = max(float(r["requests_per_s"]) for r in http)
        for r in http:
            rps = float(r["requests_per_s"])
            name = f'{r["case"]}: {r["path"]}'
            fill = COLORS["raw"] if r["path"] == "/open" else COLORS["TokenAuthority"] if r["path"] == "/ours" else COLORS["JsonWebTokenHandler"]
            out.append(f'<text x="{left - 8}" y="{y + 12}" font-size="12" text-anchor="end">{escape(name)}</text>')
            w = rps / top * span
            out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}"/>')
            out.append(f'<text x="{left + w + 6:.1f}" y="{y + 12}" font-size="11">{rps:,.0f}/s  {escape(r["p50"])} / {escape(r["p99"])}</text>')
            y += bar_h + gap
        y += 10

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 10}" font-family="sans-serif">',
           f'<rect width="{width}" height="{y + 10}" fill="white"/>'] + out + ["</svg>"]
    with open(os.path.join(RESULTS, "performance.svg"), "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
