"""Print a scenario's table and keep its numbers as JSON in bench/results/."""

import json
import platform
import statistics
import subprocess
import time

from .stack import CORES, RESULTS


def machine() -> dict:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout  # noqa: S607
    return {
        "nproc": CORES,
        "cpu": platform.processor() or platform.machine(),
        "memory": free.splitlines()[1].split()[1] if free else "?",
        "python": platform.python_version(),
    }


def spread(values: list[float | None]) -> dict:
    """Median and min–max of repeated runs: the machine is shared, so one run proves little."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "runs": 0}
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }


def cell(s: dict, digits: int = 0) -> str:
    if s["median"] is None:
        return "-"
    f = f"{{:.{digits}f}}"
    return f"{f.format(s['median'])} ({f.format(s['min'])}–{f.format(s['max'])})"


def table(columns: list[str], rows: list[list]) -> str:
    """A Markdown table, so the same text goes into docs/benchmarks.md."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def save(name: str, data: dict) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2, default=str))
    return str(path)
