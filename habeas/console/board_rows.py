"""The station board's rows, drawn in Python.

Every dispatcher's board redraws its fifty rows at each refresh. Through the template
language a row cost ~0.4 ms, most of the board's time (bench/scale.py); here the words are
translated once per page and each row is one pass of f-strings, every value escaped.
"""

from html import escape

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .templatetags.console import duration


class _Words:
    """The page's words and addresses, made once for its rows."""

    def __init__(self, request, page_number: int) -> None:
        self.people = escape(_("People"))
        self.waiting = escape(_("Waiting for a lawyer"))
        self.longest = escape(_("Longest wait"))
        self.lawyers = escape(_("Lawyers"))
        self.refused = escape(_("Refused entry (24 h)"))
        self.at_station = escape(_("at the station"))
        self.on_the_way = escape(_("on the way"))
        self.nobody = escape(_("nobody"))
        self.take = escape(_("Take the waiting cases here"))
        self.give = escape(_("Give these to a lawyer…"))
        self.queue = reverse("console:queue")
        self.take_url = reverse("console:take_all_here", args=[0]).replace("/0/", "/{}/")
        # After an action, and for the assign link, the board comes back to this page.
        board = reverse("console:stations")
        self.back = f"{board}?page={page_number}" if page_number > 1 else board
        self.page = f"page={page_number}&amp;" if page_number > 1 else ""
        self.csrf = escape(get_token(request))


def draw(rows, request, *, page_number: int, takes: bool, assigns: bool) -> SafeString:
    """The <li> rows of a page of the board. `takes`: the viewer is a lawyer, who may take a
    station's waiting cases; `assigns`: a dispatcher, who may give them to a lawyer."""
    words = _Words(request, page_number)
    # Each part is escaped where it is built.
    return mark_safe("\n".join(_row(r, words, takes, assigns) for r in rows))  # noqa: S308


def _row(r, words: _Words, takes: bool, assigns: bool) -> str:
    pk = r.station.pk
    name = escape(r.station.name)
    parts = [f'<h2 id="station-{pk}">{name}</h2>']
    if r.station.address:
        parts.append(f'<p class="address">{escape(r.station.address)}</p>')
    held = str(r.held)
    if r.known != r.held:
        known = escape(_("%(n)s known to be held here") % {"n": r.known})
        held += f' <span class="hint">({known})</span>'
    waiting = f"<strong>{r.waiting}</strong>" if r.waiting else "0"
    waited = escape(duration(r.waited)) if r.waited else "—"
    refused = f'<strong class="alert-text">{r.refused}</strong>' if r.refused else "0"
    parts.append(
        '<dl class="facts board-facts">'
        f'<dt>{words.people}</dt><dd class="held">{held}</dd>'
        f'<dt>{words.waiting}</dt><dd class="waiting">{waiting}</dd>'
        f'<dt>{words.longest}</dt><dd class="longest">{waited}</dd>'
        f'<dt>{words.lawyers}</dt><dd class="lawyers">{_lawyers(r, words)}</dd>'
        f'<dt>{words.refused}</dt><dd class="refused">{refused}</dd>'
        "</dl>"
    )
    cases_at = escape(_("Cases at %(station)s") % {"station": r.station.name})
    parts.append(
        f'<p class="station-links"><a href="{words.queue}?station={pk}">{cases_at}</a></p>'
    )
    if r.waiting and takes:
        parts.append(
            f'<form method="post" action="{words.take_url.format(pk)}" class="take-all">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{words.csrf}">'
            f'<input type="hidden" name="next" value="{words.back}">'
            f'<button type="submit" class="btn btn-take" aria-describedby="station-{pk}">'
            f"{words.take}</button></form>"
        )
    if r.waiting and assigns:
        # One lawyer picker for the whole board (stations.html): one per station was 300
        # lawyers × 150 stations of options in every refresh, over a second to draw.
        parts.append(
            f'<p><a class="btn assign-link" href="?{words.page}assign={pk}#assign-form" '
            f'aria-describedby="station-{pk}">{words.give}</a></p>'
        )
    body = "\n".join(parts)
    has_waiting = " has-waiting" if r.waiting else ""
    return f'<li class="station-row{has_waiting}" data-station-id="{pk}">\n{body}\n</li>'


def _lawyers(r, words: _Words) -> str:
    if not r.lawyers:
        return words.nobody
    return ", ".join(
        f'<span class="lawyer-there">{escape(str(t.user))} <span class="hint">'
        f"({words.at_station if t.arrived else words.on_the_way})</span></span>"
        for t in r.lawyers
    )
