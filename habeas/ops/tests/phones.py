"""Phones for test_whole_stack, sending SOS the way the PWA does (public/static/public/js).

net.js's sender(): one key per SOS (newKey: 12 of A-Z, a-z, 0-9), the same key and body on
every try, a try given up after 15 s, and a retry 3 s later (sos.js RETRY_MS) after anything
but the hotline's own answer: no answer, a timeout, a 5xx, a proxy's page, 408 or 429. A 2xx
with a status token ends it; our own JSON 4xx (other than 408 and 429) is a refusal.

Each phone has a network of its own: it connects from its own loopback address (127.0.N.1,
a /24 apart), which Caddy forwards and the web servers take as the client's when they are
reached directly, so the per-network limit counts each phone apart.
"""

import secrets
import ssl
import string
import threading
import time
from dataclasses import dataclass, field

import httpx

REQUEST_S = 15.0  # net.js REQUEST_MS
RETRY_S = 3.0  # sos.js RETRY_MS
ALPHABET = string.ascii_letters + string.digits


def new_key() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


@dataclass(frozen=True)
class Route:
    """One way to the web servers: Caddy's public site, its onion site, or one web server."""

    name: str
    url: str
    verify: ssl.SSLContext | bool = True
    # Reached directly, a web server hears what Caddy would have told it: the request came
    # over HTTPS (else Django redirects it there).
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Sos:
    key: str
    route: str
    body: dict
    tries: list[tuple[float, str]] = field(default_factory=list)  # (when, outcome)
    # Every 503: whether it was the API's JSON error, and its Retry-After.
    unavailable: list[tuple[bool, str | None]] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)  # every 2xx body
    refused: dict | None = None

    @property
    def accepted(self) -> bool:
        return bool(self.answers)


class Phone:
    """A phone that connects from `source` and sends through `routes`, one SOS after another
    (each SOS on the next route, all its tries on that route, from the next of `places`)."""

    def __init__(self, source: str, routes: list[Route], places: list[tuple[float, float]]):
        self.source = source
        self.routes = routes
        self.places = places
        self.sent: list[Sos] = []
        self.clients = {
            r.name: httpx.Client(
                transport=httpx.HTTPTransport(local_address=source, verify=r.verify),
                headers=dict(r.headers),
                timeout=REQUEST_S,
            )
            for r in routes
        }

    def new_sos(self) -> Sos:
        key = new_key()
        lat, lon = self.places[len(self.sent) % len(self.places)]
        body = {
            "kind": "detention",
            "person": {"full_name": f"Person {key}", "date_of_birth": "1999-03-26"},
            "location": {"lat": lat, "lon": lon, "accuracy_m": 30},
        }
        route = self.routes[len(self.sent) % len(self.routes)]
        sos = Sos(key=key, route=route.name, body=body)
        self.sent.append(sos)
        return sos

    def attempt(self, sos: Sos) -> bool:
        """One try; True when it is settled (accepted or refused), False to retry."""
        route = next(r for r in self.routes if r.name == sos.route)
        try:
            response = self.clients[route.name].post(
                route.url, json=sos.body, headers={"Idempotency-Key": sos.key}
            )
            outcome = str(response.status_code)
            try:
                data = response.json()
            except ValueError:
                data = None  # a proxy's page, not our JSON
        except httpx.HTTPError as exc:
            outcome, data = type(exc).__name__, None
        sos.tries.append((time.time(), outcome))
        status = int(outcome) if outcome.isdigit() else 0
        if status == 503:
            ours = isinstance(data, dict) and isinstance(data.get("detail"), str)
            sos.unavailable.append((ours, response.headers.get("Retry-After")))
        if status in (200, 201) and isinstance(data, dict) and data.get("status_token"):
            sos.answers.append(data)
            return True
        ours = isinstance(data, dict) and isinstance(data.get("detail"), str)
        if ours and 400 <= status < 500 and status not in (408, 429):
            sos.refused = data
            return True
        return False

    def send(self, sos: Sos, give_up_at: float) -> None:
        """Try until settled, RETRY_S apart, as the PWA does; stop at `give_up_at` (the
        test then counts it as not accepted)."""
        while not self.attempt(sos) and time.monotonic() < give_up_at:
            time.sleep(RETRY_S)

    def keep_sending(self, stop: threading.Event, pause: float, give_up_s: float) -> None:
        """A new SOS every `pause` seconds (after the last one settled) until `stop`."""
        while not stop.is_set():
            self.send(self.new_sos(), time.monotonic() + give_up_s)
            stop.wait(pause)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


class Threads:
    """Threads whose exceptions are kept, so a phone that crashed fails the test."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def start(self, target, *args) -> None:
        def run():
            try:
                target(*args)
            except BaseException as exc:
                self.errors.append(exc)

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)
        thread.start()

    def join(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = sum(t.is_alive() for t in self.threads)
        assert not alive, f"{alive} phone threads still running after {seconds:.0f} s"
        assert not self.errors, f"phone threads failed: {self.errors!r}"
