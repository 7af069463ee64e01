"""The queue's cards, drawn in Python.

The poll redraws fifty cards every couple of seconds for every dispatcher. Through the
template language a card cost ~0.3 ms, a third of the poll at 10,000 open cases
(bench/scale.py). Here the labels are translated once per page and each card is one pass of
f-strings; every value in them goes through `escape`.
"""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from habeas.cases.models import Case, Kind, Status

from .templatetags.console import age, city, origin_badge


class _Labels:
    """The page's words, translated once for its fifty cards."""

    def __init__(self) -> None:
        self.status = {value: str(label) for value, label in Status.choices}
        self.kind = {value: str(label) for value, label in Kind.choices}
        self.origin = {o: origin_badge(o) for o in ("sos", "duress", "timer")}
        self.minor = escape(_("minor"))
        self.offered = escape(_("offered, no answer yet"))
        self.no_lawyer = escape(_("no lawyer free"))
        self.escalated = escape(_("escalated"))
        self.nobody = escape(_("Nobody has it yet"))
        self.yours = escape(_("You have it"))
        # A case page's address with the id swapped in: one reverse() for the page.
        self.href = reverse("console:case", args=["ID"]).replace("ID", "{}")


def draw(cases: list[Case], user) -> SafeString:
    """The <li> cards of a page of the queue, annotated by queue.build."""
    labels = _Labels()
    # Each part below is escaped where it is built.
    return mark_safe("\n".join(_card(case, user, labels) for case in cases))  # noqa: S308


def _card(case: Case, user, words: _Labels) -> str:
    public_id = escape(case.public_id)
    waiting = case.status == Status.OPEN
    classes = "card"
    if case.is_minor:
        classes += " is-minor"
    if case.origin != "sos":
        classes += f" is-{escape(case.origin)}"
    if case.assigned_lawyer_id == user.pk:
        classes += " is-mine"
    parts = []
    if user.is_dispatcher and waiting:
        # Dispatchers choose waiting cases to give one lawyer; the form is outside the
        # polled list (queue.html).
        choose = escape(_("Choose case %(id)s") % {"id": case.public_id})
        parts.append(
            f'<input type="checkbox" class="choose" name="case" value="{public_id}" '
            f'form="assign-several" aria-label="{choose}">'
        )
    parts.append(f'<a class="case-id" href="{words.href.format(public_id)}">{public_id}</a>')
    status = escape(case.status)
    parts.append(
        f'<span class="status status-{status}">'
        f"{escape(words.status.get(case.status, case.status))}</span>"
    )
    parts.append(words.origin.get(case.origin, ""))
    if case.is_minor:
        parts.append(f'<span class="badge">{words.minor}</span>')
    if not case.assigned_lawyer_id and waiting:
        parts.append(_offer_badges(case, words))
    parts.append(f'<span class="kind">{escape(words.kind.get(case.kind, case.kind))}</span>')
    if case.report_count > 1:
        n = case.report_count
        label = escape(ngettext("%(n)s report", "%(n)s reports", n) % {"n": n})
        parts.append(f'<span class="badge reports">{label}</span>')
    created = timezone.localtime(case.created_at).isoformat()
    parts.append(f'<time class="age" datetime="{created}">{escape(age(case.created_at))}</time>')
    if case.police_station_id:
        parts.append(f'<span class="station">{escape(case.police_station.name)}</span>')
    elif not case.near_station_id and case.city:
        parts.append(f'<span class="station city">{escape(city(case.city))}</span>')
    parts.append(f'<span class="lawyer">{_lawyer(case, user, words)}</span>')
    body = "\n".join(p for p in parts if p)
    return (
        f'<li class="{classes}" data-case-id="{public_id}" data-status="{status}">\n{body}\n</li>'
    )


def _offer_badges(case: Case, words: _Labels) -> str:
    """ "Offered, no answer yet", "declined by N" and "no lawyer free" are different
    situations for a dispatcher; "escalated" can come with any of them."""
    badges = ""
    if case.pending_offer:
        badges += f'<span class="badge offered">{words.offered}</span>'
    elif not case.declined and not case.escalated_at:
        badges += f'<span class="badge no-lawyer">{words.no_lawyer}</span>'
    if case.declined:
        n = case.declined
        label = escape(ngettext("declined by %(n)s", "declined by %(n)s", n) % {"n": n})
        badges += f'<span class="badge declined">{label}</span>'
    if case.escalated_at:
        badges += f'<span class="badge alert">{words.escalated}</span>'
    return badges


def _lawyer(case: Case, user, words: _Labels) -> str:
    if case.pending_offer and not case.assigned_lawyer_id:
        return escape(_("Offered to %(lawyer)s") % {"lawyer": case.pending_offer.lawyer})
    if not case.assigned_lawyer_id:
        return words.nobody
    if case.assigned_lawyer_id == user.pk:
        return words.yours
    return escape(str(case.assigned_lawyer))
