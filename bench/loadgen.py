"""Load from a separate process: a small asyncio HTTP/1.1 client, on loopback only.

httpx tops out near 1-2k requests/s on one core, which would make the client, not the server,
the ceiling on a 2-core machine; this client parses just what our servers send (Content-Length
or chunked bodies, keep-alive or Connection: close) and costs a fraction of that.
"""

import asyncio
import json
import math
import random
import secrets
import time
from dataclasses import dataclass, field

try:  # uvloop makes the client cheaper still; plain asyncio works too
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None

HOST = "127.0.0.1"
TIMEOUT = 30.0


class Conn:
    """One keep-alive connection; reopened when the server closes it."""

    def __init__(self, port: int, source: str | None = None):
        self.port = port
        # Any 127.x.y.z works as a source address on Linux: it lets the bench play phones on
        # many networks (the rate limits key on the client's /24) without leaving loopback.
        self.source = source
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict | None = None
    ) -> tuple[int, bytes]:
        fresh = self.writer is None
        if fresh:
            self.reader, self.writer = await asyncio.open_connection(
                HOST, self.port, local_addr=(self.source, 0) if self.source else None
            )
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {HOST}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        ]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            line = await self.reader.readline()
        except ConnectionError:
            line = b""
        if not line:
            self.close()
            if fresh:
                raise ConnectionError("closed before answering")
            # An idle keep-alive connection the server had closed: one retry on a new one.
            return await self.request(method, path, body, headers)
        status = int(line.split()[1])
        length, chunked, close = 0, False, False
        while (h := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = h.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                close = value == b"close"
        if chunked:
            data = b""
            while size := int((await self.reader.readline()).strip() or b"0", 16):
                data += await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            data = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, data


MOSCOW = (55.7558, 37.6173)


def sos_body(rng: random.Random) -> bytes:
    """What the PWA sends: the profile kept on the phone and a location near central Moscow."""
    return json.dumps(
        {
            "kind": "detention",
            "person": {
                "full_name": f"Тестовый Человек {rng.randrange(10**6)}",
                "date_of_birth": f"{rng.randrange(1960, 2008)}-0{rng.randrange(1, 10)}-1"
                f"{rng.randrange(10)}",
                "phone": f"+7 9{rng.randrange(10**8, 10**9)}",
                "note": "астма",
            },
            "location": {
                "lat": MOSCOW[0] + rng.uniform(-0.08, 0.08),
                "lon": MOSCOW[1] + rng.uniform(-0.12, 0.12),
                "accuracy_m": 30,
            },
        },
        ensure_ascii=False,
    ).encode()


def new_key(prefix: str = "b") -> str:
    return f"{prefix}-{secrets.token_urlsafe(18)}"


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)  # nearest rank: the value below which p % of requests fall
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Result:
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    late: int = 0  # requests answered only after the run's deadline
    acked_at: dict[str, float] = field(default_factory=dict)  # case id → when answered
    keys: list[str] = field(default_factory=list)  # idempotency keys accepted
    gave_up: list[str] = field(default_factory=list)  # keys whose phone stopped trying

    def count(self, status: str) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def summary(self) -> dict:
        ok = len(self.latencies_ms)
        return {
            "ok": ok,
            "rps": ok / self.seconds if self.seconds else 0.0,
            "p50_ms": percentile(self.latencies_ms, 50),
            "p95_ms": percentile(self.latencies_ms, 95),
            "p99_ms": percentile(self.latencies_ms, 99),
            "max_ms": max(self.latencies_ms, default=None),
            "statuses": self.statuses,
            "errors": self.errors,
            "late": self.late,
            "gave_up": len(self.gave_up),
        }


async def closed_loop(
    port: int,
    path: str,
    clients: int,
    seconds: float,
    warmup: float = 1.0,
    seed: int = 1,
    record: bool = False,
) -> Result:
    """`clients` clients each send one SOS-shaped POST after another, with new keys.

    Throughput and latency count the answers that arrive between the end of the warm-up and
    the deadline, so connection set-up does not skew them; a request still unanswered at the
    deadline is counted as `late` (its latency is longer than the run).
    """
    result = Result(seconds=seconds)
    start = time.monotonic() + warmup
    acked_at = result.acked_at
    stop = start + seconds

    async def client(n: int) -> None:
        rng = random.Random(seed * 100_000 + n)  # noqa: S311 - seeded load, not secrets
        conn = Conn(port)
        while (now := time.monotonic()) < stop:
            body = sos_body(rng)
            try:
                status, data = await asyncio.wait_for(
                    conn.request("POST", path, body, {"Idempotency-Key": new_key()}), TIMEOUT
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                conn.close()
                if start <= time.monotonic() <= stop:
                    result.errors += 1
                await asyncio.sleep(0.05)
                continue
            done = time.monotonic()
            if start <= done <= stop:
                result.count(str(status))
                if status in (200, 201):
                    result.latencies_ms.append((done - now) * 1000)
            elif done > stop:
                result.late += 1
            if record and status == 201:
                acked_at[json.loads(data)["case_id"]] = time.time()
        conn.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return result


def run(coro):
    """Run a coroutine on uvloop when it is installed."""
    if uvloop is not None:
        return uvloop.run(coro)
    return asyncio.run(coro)


# The PWA (habeas/public/static/public/js/sos.js) retries every 3 s with the same key and
# gives a hung request 15 s; the bench's phones do the same.
PWA_RETRY_S = 3.0
PWA_REQUEST_S = 15.0


async def phone(
    port: int, body: bytes, key: str, result: Result, give_up_s: float, source: str | None = None
) -> None:
    """One phone's SOS: retried like the PWA until accepted; time counted from the first try."""
    begin = time.monotonic()
    while True:
        conn = Conn(port, source)
        try:
            status, data = await asyncio.wait_for(
                conn.request("POST", "/api/v1/cases", body, {"Idempotency-Key": key}),
                PWA_REQUEST_S,
            )
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            status, data = None, b""
        finally:
            conn.close()
        if status is None:
            result.errors += 1
        else:
            result.count(str(status))
        if status in (200, 201):
            result.latencies_ms.append((time.monotonic() - begin) * 1000)
            result.acked_at[json.loads(data)["case_id"]] = time.time()
            result.keys.append(key)
            return
        if time.monotonic() - begin > give_up_s:
            result.gave_up.append(key)
            return
        await asyncio.sleep(PWA_RETRY_S)


async def open_loop(
    port: int,
    rate: float,
    seconds: float,
    seed: int = 1,
    give_up_s: float = 120.0,
    networks: bool = False,
) -> Result:
    """Phones arrive at `rate` per second (Poisson) for `seconds`, each sending one SOS.

    Latency here is first try → accepted, retries included: what the detainee waits.
    """
    rng = random.Random(seed)  # noqa: S311 - seeded load, not secrets
    result = Result(seconds=seconds)
    t0 = time.monotonic()
    next_at, tasks = t0, []
    while (next_at := next_at + rng.expovariate(rate)) < t0 + seconds:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        # With `networks`, each phone is on a network of its own (127.<a>.<b>.1).
        source = f"127.{rng.randrange(1, 60)}.{rng.randrange(256)}.1" if networks else None
        body = sos_body(rng)
        tasks.append(
            asyncio.create_task(phone(port, body, new_key("p"), result, give_up_s, source))
        )
    await asyncio.gather(*tasks)
    return result
