"""Small-cell suppression for published tables: no count under the minimum, and no hidden
count that a published total and the other cells give back.

A table is its cells (parts and totals alike, by key) and its constraints: "this total is the
sum of these parts". A count under the minimum is hidden (primary). Then, until nothing
changes, any constraint that gives a hidden value back is closed (secondary): one hidden
member alone is the total minus the rest, and several hidden parts under a published total
are known to sum to something under the minimum (2 hidden summing to 2 are both 1). It is
closed by hiding its smallest shown non-zero part, or, with none left, its total. Zeros stay
shown: a zero names nobody.
"""

from collections.abc import Hashable, Iterable

Key = Hashable
Constraint = tuple[Key, list[Key]]


def _leaks(values: dict, hidden: set, total: Key, parts: list[Key], minimum: int) -> bool:
    members = [total, *parts]
    hidden_members = [m for m in members if m in hidden]
    if len(hidden_members) == 1:
        return True
    hidden_parts = [p for p in parts if p in hidden]
    return (
        total not in hidden
        and len(hidden_parts) >= 2
        and sum(values[p] for p in hidden_parts) < minimum
    )


def suppress(values: dict, constraints: Iterable[Constraint], minimum: int) -> set:
    """The keys whose counts must not be published."""
    constraints = list(constraints)
    hidden = {key for key, count in values.items() if 0 < count < minimum}
    changed = True
    while changed:  # each round hides one more key or stops: it ends
        changed = False
        for total, parts in constraints:
            if not _leaks(values, hidden, total, parts, minimum):
                continue
            shown = sorted(
                (p for p in parts if p not in hidden and values[p] > 0), key=lambda p: values[p]
            )
            if shown:
                hidden.add(shown[0])
            elif total not in hidden:
                hidden.add(total)
            else:
                continue
            changed = True
    return hidden


def one_way(counts: dict, minimum: int, total: Key = "total") -> tuple[dict, set]:
    """Suppress a one-way table (rows and their total); return the values and the hidden keys."""
    values = {**counts, total: sum(counts.values())}
    return values, suppress(values, [(total, list(counts))], minimum)
