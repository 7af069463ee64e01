"""Development stand-in for a provider: prints the message. Only ever used with HABEAS_DEBUG."""

import sys


def configured() -> bool:
    return True


def send(address: str, subject: str, body: str, key: str) -> None:
    print(f"[demo message to {address}] {subject}: {body}", file=sys.stderr, flush=True)
