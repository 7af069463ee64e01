"""Local stand-ins for the providers: a Telegram Bot API, a Web Push service, an SMS gateway.

Each is a real HTTP server on 127.0.0.1 that can also misbehave the way providers do:
answer 500, hang past the client's timeout, or drop the connection.
"""

import base64
import json
import threading
import time
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def parse_body(content_type: str, raw: bytes) -> dict:
    """JSON (our gateways) or a form (python-telegram-bot posts forms)."""
    if "json" in content_type:
        return json.loads(raw or b"{}")
    if "form-urlencoded" in content_type:
        return {k: v[0] for k, v in parse_qs(raw.decode()).items()}
    if "multipart/form-data" in content_type:
        message = BytesParser().parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        return {
            part.get_param("name", header="content-disposition"): part.get_payload(
                decode=True
            ).decode()
            for part in message.get_payload()
        }
    return {"raw": raw.decode("latin-1")}


class FakeProvider:
    """One HTTP server; `mode` is "ok", "500", "hang" or "drop", switchable at any time."""

    def __init__(self, delay: float = 0.0):
        self.mode = "ok"
        self.delay = delay
        self.requests: list[dict] = []  # every request that reached us, ok or not
        self.delivered: dict[str, dict] = {}  # by idempotency key: what a phone would show
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                provider.handle(self, parse_body(self.headers.get("Content-Type", ""), raw))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        key = handler.headers.get("Idempotency-Key") or handler.headers.get("Topic") or ""
        with self.lock:
            self.requests.append(
                {"path": handler.path, "body": body, "key": key, "mode": self.mode}
            )
        if self.mode == "hang":
            time.sleep(30)
            return
        if self.mode == "drop":
            handler.close_connection = True
            handler.connection.close()
            return
        if self.mode == "500":
            self.reply(handler, 500, {"ok": False, "description": "Internal Server Error"})
            return
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            # A real gateway given the same client reference twice sends one SMS.
            self.delivered.setdefault(key or f"#{len(self.requests)}", body)
        self.reply(handler, *self.answer(handler.path, body))

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        return 200, {"ok": True}

    @staticmethod
    def reply(handler, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


class FakeTelegram(FakeProvider):
    """Answers getMe, sendMessage, getUpdates, setWebhook and deleteWebhook like the Bot API.

    `updates` are what getUpdates hands out (those at or after its offset); `webhook` is what
    setWebhook was last given; `sent` lists the sendMessage bodies that were answered ok.
    """

    def __init__(self, delay: float = 0.0):
        super().__init__(delay)
        self.updates: list[dict] = []
        self.webhook: dict | None = None
        self.polls: list[dict] = []
        self.conflict = False  # a webhook is set: getUpdates answers 409
        self.confirmed = 0
        self.sent_at: list[float] = []

    @property
    def sent(self) -> list[dict]:
        return [
            r["body"]
            for r in self.requests
            if r["path"].endswith("/sendMessage") and r["mode"] == "ok"
        ]

    def control(self, path: str, body: dict) -> tuple[int, dict] | None:
        """The Bot API's methods that are not deliveries (never failed by `mode`)."""
        if path.endswith("/getUpdates"):
            with self.lock:
                self.polls.append(body)
            if self.conflict:
                return 409, {
                    "ok": False,
                    "error_code": 409,
                    "description": "Conflict: can't use getUpdates method while webhook is active",
                }
            # As Telegram: an offset confirms every update before it, for good.
            self.confirmed = max(self.confirmed, int(body.get("offset") or 0))
            pending = [u for u in self.updates if u["update_id"] >= self.confirmed]
            return 200, {"ok": True, "result": pending[: int(body.get("limit") or 100)]}
        if path.endswith("/setWebhook"):
            self.webhook = body
            return 200, {"ok": True, "result": True}
        if path.endswith("/deleteWebhook"):
            self.webhook = None
            return 200, {"ok": True, "result": True}
        return None

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        if path.endswith("/sendMessage"):
            self.sent_at.append(time.perf_counter())
        if path.endswith("/getMe"):
            return 200, {
                "ok": True,
                "result": {
                    "id": 1,
                    "is_bot": True,
                    "first_name": "Habeas",
                    "username": "habeas_bot",
                },
            }
        if path.endswith("/sendMessage"):
            if str(body.get("chat_id")) == "404":
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: chat not found",
                }
            return 200, {
                "ok": True,
                "result": {
                    "message_id": len(self.requests),
                    "date": int(time.time()),
                    "chat": {"id": int(body.get("chat_id", 0)), "type": "private"},
                    "text": body.get("text", ""),
                },
            }
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def handle(self, handler, body):
        if handler.path.endswith("/getMe"):
            self.reply(handler, *self.answer(handler.path, body))
            return
        if (answer := self.control(handler.path, body)) is not None:
            self.reply(handler, *answer)
            return
        super().handle(handler, body)


class FakeSmsGateway(FakeProvider):
    """SMS Gateway for Android's API: POST /messages answers 202 with the message's state,
    keyed by the message `id` the client gives (a repeated id is one SMS). Basic auth only
    for `login:password`; anything else is 401, as the app answers a wrong password."""

    def __init__(self, login: str, password: str):
        super().__init__()
        self.auth = "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()

    def handle(self, handler, body):
        key = body.get("id", "") if isinstance(body, dict) else ""
        if handler.headers.get("Authorization") != self.auth:
            with self.lock:
                self.requests.append(
                    {"path": handler.path, "body": body, "key": key, "mode": "401"}
                )
            self.reply(handler, 401, {"message": "Unauthorized"})
            return
        super().handle(_Keyed(handler, key), body)

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        if not path.startswith("/messages"):
            return 404, {"message": "Not Found"}
        recipients = [{"phoneNumber": n, "state": "Pending"} for n in body.get("phoneNumbers", [])]
        return 202, {"id": body.get("id", ""), "state": "Pending", "recipients": recipients}


class _Keyed:
    """A request handler seen with the gateway's message id as its idempotency key."""

    def __init__(self, handler, key: str):
        self._handler = handler
        self.headers = {"Idempotency-Key": key}

    def __getattr__(self, name):
        return getattr(self._handler, name)

    def __setattr__(self, name, value):
        if name in ("_handler", "headers"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._handler, name, value)


class FakePush(FakeProvider):
    """A push service: 201 Created for a delivered push, 410 Gone for a dead subscription,
    403 for a subscription it refuses (a wrong VAPID key)."""

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        if path.endswith("/gone"):
            return 410, {}
        if path.endswith("/forbidden"):
            return 403, {"reason": "internal detail that must not reach the outbox"}
        return 201, {}
