"""Development stand-in for a provider. Only ever used with HABEAS_DEBUG.

A message's address and text (a contact's phone, a status link) are written to a file under
var/ that only the developer can read, never to the log the worker prints: a terminal or a
log collector is no place for a family's private link, even in a demo.
"""

import os
import sys

from django.conf import settings

FILENAME = "demo-messages.log"


def configured() -> bool:
    return True


def send(address: str, subject: str, body: str, key: str, **options) -> None:
    path = settings.VAR_DIR / FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(f"to {address}: {subject}: {body}\n")
    print(f"[demo message {key[:8]}] written to {path}", file=sys.stderr, flush=True)
