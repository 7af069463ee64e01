"""Evidence uploads (issue 17): upload throughput and the server's memory for a big video.

    .venv/bin/python -m bench.evidence                              # 20 and 200 MiB, SQLite
    .venv/bin/python -m bench.evidence --db postgres --sizes 20,200 --chunks-kb 1024,8192

Habeas runs as production runs it (stack.py: production settings, the bench's server, a
database of its own; no db_worker, which takes no part in an upload). Its var folder, where
the sealed pieces land (var/evidence), is the bench database's temporary folder, never the
repository's var/. The server allows HABEAS_EVIDENCE_MAX_MB=250, so a 200 MiB file fits with
room to spare.

For each size a deterministic pseudo-random file is written to a temporary folder (streamed,
its SHA-256 computed as it is written). Then, in each repeat, every (size, chunk size) in
turn: a new case (its status token), a new upload key, the declaration, and PATCH after PATCH
from the server's offset, over one keep-alive connection (checked: every answer came on the
same client port), each chunk streamed from the file on disk. Timed: from the declaration to
the last chunk's receipt (`complete`, after the server has hashed what it stored).

Memory: the server's processes (granian's master and its workers, found by parent pid in
/proc) are read from /proc/<pid>/status: VmRSS now, VmHWM the peak. Before each upload every
process's peak is reset to its current RSS (`5` into /proc/<pid>/clear_refs), so the peak
after an upload is that upload's own; "grows with the file size" shows as the 200 MiB peak
above the 20 MiB one at the same chunk size. The sealed pieces are deleted from disk after
each upload (the rows stay; the database is dropped at the end).

Median and min–max over the repeats; `uptime`'s load averages before and after go into the
JSON, since the machine is shared.
"""

import argparse
import hashlib
import random
import resource
import secrets
import shutil
import tempfile
import time
from pathlib import Path

import httpx

from .lighthouse import load_averages
from .report import cell, save, spread, table
from .stack import DEFAULT_SERVER, Database, Server

MIB = 1024 * 1024
BLOCK = MIB  # how the file is written, hashed and read for each chunk
MAX_MB = 250
WARM_UP_MIB = 2


def make_file(folder: Path, mib: int, seed: int) -> tuple[Path, str]:
    """`mib` MiB of pseudo-random bytes, a block at a time; (path, sha256 hex)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    digest = hashlib.sha256()
    path = folder / f"evidence-{mib}mib.mp4"
    with path.open("wb") as f:
        for _ in range(mib):
            block = rng.randbytes(BLOCK)
            digest.update(block)
            f.write(block)
    return path, digest.hexdigest()


# --- the server's memory, from /proc ---------------------------------------------------------


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # exited meanwhile
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses; split after it.
        ppid = int(text[text.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    return children


def server_pids(root: int) -> list[int]:
    """The server's process and all its descendants (granian's workers)."""
    children = _children()
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return sorted(pids)


def status(pid: int) -> dict | None:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    kib = {k: int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM") if k in fields}
    return {
        "pid": pid,
        "cmd": cmd[:120],
        "rss_mib": kib.get("VmRSS", 0) / 1024,
        "hwm_mib": kib.get("VmHWM", 0) / 1024,
    }


def memory(root: int) -> list[dict]:
    return [s for s in map(status, server_pids(root)) if s is not None]


def reset_peaks(root: int) -> bool:
    """Set every server process's VmHWM to its current RSS (Linux 4.0+); False if refused."""
    done = True
    for pid in server_pids(root):
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            done = False
    return done


# --- one upload ----------------------------------------------------------------------------


def new_token(client: httpx.Client) -> str:
    response = client.post(
        "/api/v1/cases",
        json={"kind": "detention"},
        headers={"Idempotency-Key": f"bench-{secrets.token_hex(12)}"},
    )
    if response.status_code != 201:
        raise SystemExit(f"POST /api/v1/cases: {response.status_code} {response.text[:300]}")
    return response.json()["status_token"]


def _body(path: Path, offset: int, length: int):
    """The chunk's bytes, read from disk as they are sent."""
    with path.open("rb") as f:
        f.seek(offset)
        left = length
        while left > 0:
            block = f.read(min(BLOCK, left))
            if not block:
                raise SystemExit(f"{path} ended at {offset + length - left}")
            left -= len(block)
            yield block


def _client_port(response: httpx.Response):
    stream = response.extensions.get("network_stream")
    addr = stream.get_extra_info("client_addr") if stream is not None else None
    return addr[1] if addr else None


def upload(base: str, path: Path, sha256: str, chunk: int) -> dict:
    """Declare the file and send it in `chunk`-byte PATCHes over one connection."""
    size = path.stat().st_size
    key = f"bench{secrets.token_hex(12)}"
    with httpx.Client(base_url=base, timeout=600) as client:
        client.headers["Authorization"] = f"Bearer {new_token(client)}"
        began = time.perf_counter()
        declared = client.post(
            "/api/v1/evidence",
            json={
                "upload_key": key,
                "size": size,
                "sha256": sha256,
                "content_type": "video/mp4",
                "filename": path.name,
            },
        )
        if declared.status_code != 201:
            raise SystemExit(f"POST /api/v1/evidence: {declared.status_code} {declared.text[:300]}")
        offset, requests, ports, answer = declared.json()["offset"], 1, set(), {}
        ports.add(_client_port(declared))
        while offset < size:
            length = min(chunk, size - offset)
            response = client.patch(
                f"/api/v1/evidence/{key}",
                content=_body(path, offset, length),
                headers={
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                    "Content-Length": str(length),
                },
            )
            requests += 1
            ports.add(_client_port(response))
            if response.status_code != 200:
                raise SystemExit(f"PATCH at {offset}: {response.status_code} {response.text[:300]}")
            answer = response.json()
            if answer["offset"] != offset + length:
                raise SystemExit(f"PATCH at {offset}+{length}: server has {answer['offset']}")
            offset = answer["offset"]
        seconds = time.perf_counter() - began
    if not answer.get("complete") or not answer.get("received_at"):
        raise SystemExit(f"the last chunk's answer is no receipt: {answer}")
    if answer["sha256"] != sha256:
        raise SystemExit(f"receipt sha256 {answer['sha256']} != {sha256}")
    return {
        "seconds": seconds,
        "mib_per_s": size / MIB / seconds,
        "requests": requests,
        "connections": len(ports),
        "received_at": answer["received_at"],
    }


# --- the run -------------------------------------------------------------------------------


def _peak(after: list[dict], before: list[dict]) -> dict:
    """The process whose peak rose most in the upload (the worker that took it)."""
    rss_before = {p["pid"]: p["rss_mib"] for p in before}
    top = max(after, key=lambda p: p["hwm_mib"] - rss_before.get(p["pid"], 0))
    return {
        "pid": top["pid"],
        "rss_before_mib": rss_before.get(top["pid"], 0),
        "peak_mib": top["hwm_mib"],
        "growth_mib": top["hwm_mib"] - rss_before.get(top["pid"], 0),
        "rss_after_mib": top["rss_mib"],
    }


def warm_up(srv: Server, work: Path, tries: int = 12) -> list[dict]:
    """Small uploads until every worker has taken one: a worker's first upload loads code
    and fills caches, which is no part of what an upload of a given size costs."""
    path, sha = make_file(work, WARM_UP_MIB, seed=0)
    workers = {p for p in server_pids(srv.popen.pid) if p != srv.popen.pid}
    took, log = set(), []
    for _ in range(tries):
        before = memory(srv.popen.pid)
        reset_peaks(srv.popen.pid)
        result = upload(srv.base, path, sha, MIB)
        peak = _peak(memory(srv.popen.pid), before)
        took.add(peak["pid"])
        log.append({**result, "server": peak})
        if workers <= took:
            break
    path.unlink()
    return log


def measure(db_kind: str, server: str, sizes: list[int], chunks_kb: list[int], repeat: int):
    work = Path(tempfile.mkdtemp(prefix="habeas-bench-evidence-"))
    db = Database(db_kind).create()
    runs: list[dict] = []
    try:
        files = {}
        for mib in sizes:
            began = time.perf_counter()
            files[mib] = make_file(work, mib, seed=mib)
            print(f"  {mib} MiB file in {time.perf_counter() - began:.1f} s", flush=True)
        srv = Server(server, db, HABEAS_EVIDENCE_MAX_MB=str(MAX_MB)).wait_ready()
        try:
            # After start-up and one case through the API (Django and the API loaded).
            with httpx.Client(base_url=srv.base, timeout=60) as client:
                new_token(client)
            at_start = memory(srv.popen.pid)
            warm = warm_up(srv, work)
            after_warm_up = memory(srv.popen.pid)
            for r in range(repeat):
                for mib in sizes:
                    for kb in chunks_kb:
                        path, sha = files[mib]
                        before = memory(srv.popen.pid)
                        reset = reset_peaks(srv.popen.pid)
                        result = upload(srv.base, path, sha, kb * 1024)
                        after = memory(srv.popen.pid)
                        shutil.rmtree(db.tmp / "evidence", ignore_errors=True)
                        row = {
                            "repeat": r,
                            "size_mib": mib,
                            "chunk_kib": kb,
                            **result,
                            "peak_reset": reset,
                            "server": _peak(after, before),
                            "rss_before_total_mib": sum(p["rss_mib"] for p in before),
                            "rss_after_total_mib": sum(p["rss_mib"] for p in after),
                            "processes_before": before,
                            "processes_after": after,
                        }
                        runs.append(row)
                        print(
                            f"  r{r} {mib:>4} MiB in {kb:>5} KiB chunks: "
                            f"{row['seconds']:6.2f} s {row['mib_per_s']:6.1f} MiB/s  "
                            f"{row['requests']} requests on {row['connections']} connection(s)  "
                            f"server peak {row['server']['peak_mib']:.0f} MiB "
                            f"(+{row['server']['growth_mib']:.1f})",
                            flush=True,
                        )
            at_end = memory(srv.popen.pid)
        finally:
            srv.stop()
    finally:
        db.drop()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "db": db_kind,
        "server": server,
        "at_start": at_start,
        "warm_up": warm,
        "after_warm_up": after_warm_up,
        "at_end": at_end,
        "runs": runs,
    }


def summarize(runs: list[dict], sizes: list[int], chunks_kb: list[int]) -> list[list]:
    rows = []
    for mib in sizes:
        for kb in chunks_kb:
            these = [r for r in runs if r["size_mib"] == mib and r["chunk_kib"] == kb]
            rows.append(
                [
                    mib,
                    kb,
                    cell(spread([r["seconds"] for r in these]), 2),
                    cell(spread([r["mib_per_s"] for r in these]), 1),
                    cell(spread([r["rss_before_total_mib"] for r in these])),
                    cell(spread([r["server"]["rss_before_mib"] for r in these])),
                    cell(spread([r["server"]["peak_mib"] for r in these])),
                    cell(spread([r["server"]["growth_mib"] for r in these]), 1),
                    cell(spread([r["server"]["rss_after_mib"] for r in these])),
                ]
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--sizes", default="20,200", help="MiB, comma-separated")
    parser.add_argument("--chunks-kb", default="1024,8192", help="KiB per PATCH, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    chunks_kb = [int(c) for c in args.chunks_kb.split(",")]
    if max(sizes) > MAX_MB:
        parser.error(f"the bench server takes files up to {MAX_MB} MiB")

    load_before = load_averages()
    data = measure(args.db, args.server, sizes, chunks_kb, args.repeat)
    load_after = load_averages()
    rows = summarize(data["runs"], sizes, chunks_kb)

    def total(processes):
        return sum(p["rss_mib"] for p in processes)

    print(
        f"\nEvidence uploads to {args.server}/{args.db} on 127.0.0.1, one keep-alive connection "
        f"each; median (min–max) of {args.repeat} runs. Server RSS, all "
        f"{len(data['at_start'])} processes: {total(data['at_start']):.0f} MiB before any "
        f"upload, {total(data['after_warm_up']):.0f} MiB after {len(data['warm_up'])} "
        f"{WARM_UP_MIB} MiB warm-up uploads, {total(data['at_end']):.0f} MiB at the end. "
        f"'worker' is the process that took the upload, its peak (VmHWM) reset just before "
        f"it. Load average {load_before['1min']:.2f} before, {load_after['1min']:.2f} after\n"
    )
    if not all(r["peak_reset"] for r in data["runs"]):
        print("NOTE: /proc/<pid>/clear_refs was refused: some peaks are since the server started\n")
    print(
        table(
            [
                "size MiB",
                "chunk KiB",
                "seconds",
                "MiB/s",
                "server RSS before, MiB",
                "worker RSS before, MiB",
                "worker peak, MiB",
                "peak − before, MiB",
                "worker RSS after, MiB",
            ],
            rows,
        )
    )
    out = save(
        "evidence",
        {
            "args": vars(args),
            "max_mb": MAX_MB,
            "load_before": load_before,
            "load_after": load_after,
            # The bench's own peak: the file is streamed, never held whole.
            "bench_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            **data,
        },
    )
    print(f"\n{out}")


if __name__ == "__main__":
    main()
