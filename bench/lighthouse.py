"""Fast on a bad network (issue 16, point 7): Lighthouse on the pages a protester opens.

    .venv/bin/python -m bench.lighthouse                          # 3 runs of each page
    .venv/bin/python -m bench.lighthouse --runs 1 --pages photo

Habeas runs as production runs it (stack.py: production settings, collected and compressed
static files served by whitenoise, the bench's server, a SQLite database of its own), on
plain HTTP at 127.0.0.1 as every other bench reaches it (HABEAS_SSL_REDIRECT=0: TLS ends at
the proxy in front). Lighthouse 12.2.3 (pinned in bench/lighthouse/package.json, installed
there with `npm ci` when missing) measures each page in Debian's headless Chromium with its
defaults: a mid-range phone, simulated slow 4G (150 ms, 1.6 Mbit/s) and a 4x slower CPU.
Every run starts a fresh browser profile, so each is a first visit. The requests say
Accept-Language: ru, as a protester's phone would.

Per page: the median and min–max over the runs of the performance and accessibility scores,
First Contentful Paint, Largest Contentful Paint, Total Blocking Time and Time to Interactive
(Lighthouse 12 still computes the `interactive` audit; since Lighthouse 10 it carries no
weight in the performance score). The machine is shared: `uptime`'s load averages before and
after go into the JSON beside Lighthouse's own CPU benchmark index of each run.
"""

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from .report import cell, save, spread, table
from .stack import DEFAULT_SERVER, ROOT, Database, Server

LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = os.environ.get("CHROME_PATH", os.environ.get("HABEAS_CHROMIUM", "/usr/bin/chromium"))
CHROME_FLAGS = "--headless=new --no-sandbox"
# The SOS page, the Safe photo page and the longest guide (its table of contents and SOS button).
PAGES = {
    "sos": "/",
    "photo": "/photo/",
    "guide": "/guides/police-station/",
}
RUN_TIMEOUT_S = 300
# Audit id, column title, unit divisor (Lighthouse reports milliseconds), digits.
METRICS = [
    ("first-contentful-paint", "FCP s", 1000, 1),
    ("largest-contentful-paint", "LCP s", 1000, 1),
    ("total-blocking-time", "TBT ms", 1, 0),
    ("interactive", "TTI s", 1000, 1),
]


def ensure_lighthouse() -> str:
    """Install the pinned Lighthouse from the lock file if it is not there; return its version."""
    if not LIGHTHOUSE.exists():
        command = (
            ["npm", "ci"] if (LIGHTHOUSE_DIR / "package-lock.json").exists() else ["npm", "install"]
        )
        subprocess.run(  # noqa: S603 - our own fixed command
            [*command, "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True, timeout=600
        )
    out = subprocess.run(  # noqa: S603 - our own fixed command
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True, timeout=60
    )
    return out.stdout.strip()


def load_averages() -> dict:
    text = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607
    one, five, fifteen = os.getloadavg()
    return {"uptime": text, "1min": one, "5min": five, "15min": fifteen}


def lighthouse(url: str, name: str, keep: Path | None = None) -> dict:
    """One Lighthouse run of one page; the scores and metrics this report keeps."""
    with tempfile.TemporaryDirectory(prefix="habeas-lighthouse-") as tmp:
        path = Path(tmp) / "report.json"
        began = time.monotonic()
        result = subprocess.run(  # noqa: S603 - our own fixed command
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                f"--output-path={path}",
                "--quiet",
                "--only-categories=performance,accessibility",
                f"--chrome-flags={CHROME_FLAGS}",
                '--extra-headers={"Accept-Language": "ru"}',
            ],
            env={**os.environ, "CHROME_PATH": CHROME_PATH},
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            check=False,
        )
        if result.returncode != 0 or not path.exists():
            raise RuntimeError(
                f"lighthouse {url} exited {result.returncode}: {result.stderr[-2000:]}"
            )
        report = json.loads(path.read_text())
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            kept = keep / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
            kept.write_text(path.read_text())
    audits = report["audits"]
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url}: {report['runtimeError']}")
    run = {
        "performance": _score(report, "performance"),
        "accessibility": _score(report, "accessibility"),
        **{audit: audits.get(audit, {}).get("numericValue") for audit, *_ in METRICS},
        "cumulative-layout-shift": audits.get("cumulative-layout-shift", {}).get("numericValue"),
        "speed-index": audits.get("speed-index", {}).get("numericValue"),
        "benchmarkIndex": report.get("environment", {}).get("benchmarkIndex"),
        "lighthouseVersion": report.get("lighthouseVersion"),
        "runWarnings": report.get("runWarnings", []),
        "wall_s": round(time.monotonic() - began, 1),
        # What costs the accessibility score, so a run below 100 says why.
        "accessibilityFailures": [
            ref["id"]
            for ref in report["categories"]["accessibility"]["auditRefs"]
            if ref.get("weight") and (audits[ref["id"]].get("score") not in (None, 1))
        ],
    }
    return run


def _score(report: dict, category: str) -> float | None:
    score = report["categories"][category]["score"]
    return None if score is None else round(score * 100)


def summarise(runs: list[dict]) -> dict:
    keys = ["performance", "accessibility", *(m for m, *_ in METRICS)]
    return {key: spread([r[key] for r in runs]) for key in keys}


def scaled(s: dict, divisor: float) -> dict:
    return {
        k: (v / divisor if isinstance(v, int | float) and k != "runs" else v) for k, v in s.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"of {', '.join(PAGES)}")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument(
        "--reports",
        type=Path,
        default=None,
        help="also keep each run's whole Lighthouse report (JSON) in this folder",
    )
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        parser.error(f"unknown pages {unknown}; choose from {', '.join(PAGES)}")

    version = ensure_lighthouse()
    db = Database("sqlite").create()
    server = None
    try:
        # Production serves collected, hashed and pre-compressed static files (whitenoise).
        db.manage("collectstatic", "--noinput", "-v", "0")
        server = Server(args.server, db).wait_ready()
        for path in PAGES.values():  # each process's first request imports and caches
            httpx.get(server.base + path, headers={"Accept-Language": "ru"}, timeout=30)
        load_before = load_averages()
        runs: dict[str, list[dict]] = {page: [] for page in pages}
        # Pages take turns, so a burst of load elsewhere on the machine hits all of them alike.
        for i in range(args.runs):
            for page in pages:
                run = lighthouse(server.base + PAGES[page], page, args.reports)
                runs[page].append(run)
                print(
                    f"run {i + 1}/{args.runs} {page}: performance {run['performance']}, "
                    f"accessibility {run['accessibility']}, TTI "
                    f"{(run['interactive'] or 0) / 1000:.1f} s ({run['wall_s']} s)",
                    flush=True,
                )
        load_after = load_averages()
    finally:
        if server:
            server.stop()
        db.drop()

    summary = {page: summarise(page_runs) for page, page_runs in runs.items()}
    rows = []
    for page in pages:
        s = summary[page]
        rows.append(
            [
                f"{page} `{PAGES[page]}`",
                cell(s["performance"]),
                cell(s["accessibility"]),
                *(cell(scaled(s[m], div), digits) for m, _t, div, digits in METRICS),
            ]
        )
    print(
        f"\nLighthouse {version}, mobile (simulated slow 4G, 4x CPU slowdown), {args.server} on "
        f"127.0.0.1; median (min–max) of {args.runs} runs per page; load average "
        f"{load_before['1min']:.2f} before, {load_after['1min']:.2f} after\n"
    )
    print(table(["page", "performance", "accessibility", *(t for _m, t, *_ in METRICS)], rows))
    for page in pages:
        failures = sorted({f for r in runs[page] for f in r["accessibilityFailures"]})
        if failures:
            print(f"{page}: accessibility audits failed: {', '.join(failures)}")
    data = {
        "args": vars(args),
        "lighthouse": version,
        "chrome": CHROME_PATH,
        "chrome_flags": CHROME_FLAGS,
        "pages": PAGES,
        "load_before": load_before,
        "load_after": load_after,
        "summary": summary,
        "runs": runs,
    }
    print(f"\n{save('lighthouse', data)}")


if __name__ == "__main__":
    main()
