"""Refusals: a domain rule says no with a code and its facts, never with a sentence.

Each surface (console, API, PWA) turns the code into text in the reader's language, so no
English sentence from a service reaches a Russian screen (as pretix's `error_messages`).
"""


class Refusal(Exception):
    """A rule refused an action. `code` is one of the subclass's CODES; `params` the facts."""

    CODES: frozenset[str] = frozenset()

    def __init__(self, code: str, **params):
        if code not in self.CODES:
            raise ValueError(f"{type(self).__name__} has no code {code!r}")
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        facts = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.code} ({facts})" if facts else self.code


def every_refusal() -> list[type[Refusal]]:
    """Every Refusal subclass defined so far (import the domain first), for coverage tests."""
    found, todo = [], [Refusal]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found
