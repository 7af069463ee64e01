"""The public statistics: a page, its JSON and one CSV per table (docs/stats.md).

Everything here reads habeas.stats.publish, which has already hidden every small count:
the page and the downloads print the same cells, a hidden one as "< N". Nothing is stored
on the reader's phone: no cookie (the language is a link, not the site's language form,
whose CSRF token would set one), no service-worker copy, and `no-store` for the browser.
"""

import csv
import io
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from habeas.cases.models import CaseOutcome, Kind, RefusalReason
from habeas.lib.places import city_label
from habeas.stats import publish

from .pages import hotline
from .stats_charts import chart

LANGUAGES = ("ru", "en")
# The charts show the largest rows; the tables under them list every row.
CHART_ROWS = 15
CHART_DAYS = 31
PAGE_KEY = "stats:page:v1"
TABLES = ("summary", "days", "cities", "stations", "kinds", "outcomes", "refusals", "waits")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _with_language(view):
    """Serve the view in ?lang= (ru or en) when given, else as LocaleMiddleware chose."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        lang = request.GET.get("lang", "")
        if lang and lang not in LANGUAGES:
            body = {"lang": [_("Choose ru or en.")]}
            return _no_store(JsonResponse(body, status=400))
        with translation.override(lang or translation.get_language()):
            response = view(request, *args, **kwargs)
            response["Content-Language"] = translation.get_language()
        return _no_store(response)

    return wrapped


def hidden_text(figures: dict) -> str:
    return f"< {figures['min_count']}"


def _shown(cell: dict, figures: dict) -> str:
    return hidden_text(figures) if cell["suppressed"] else str(cell["count"])


def _lang() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _not_known() -> str:
    return pgettext("statistics", "Not known")


def _station(row: dict) -> str:
    return row.get("name") or _not_known()


def _city(key: str) -> str:
    return city_label(key, _lang()) or _not_known()


def _choice(choices, key: str) -> str:
    if key == "none":
        return _("Not recorded yet")
    return str(choices(key).label) if key in choices.values else key


def _when(iso: str) -> str:
    # A date and a 24-hour time: English's "p.m." would end the sentence in two dots.
    at = localtime(datetime.fromisoformat(iso))
    return f"{date_format(at, 'DATE_FORMAT')} {at:%H:%M}"


def _table_rows(figures: dict) -> dict:
    """Every table's rows as (label, cell) in the reader's language."""
    return {
        "days": [(r["key"], r) for r in figures["days"]],
        "cities": [(_city(r["key"]), r) for r in figures["cities"]],
        "stations": [(_station(r), r) for r in figures["stations"]],
        "kinds": [(_choice(Kind, r["key"]), r) for r in figures["kinds_table"]],
        "outcomes": [(_choice(CaseOutcome, r["key"]), r) for r in figures["outcomes"]],
        "refusals": [(_station(r), r) for r in figures["refusals"]["by_station"]],
        "reasons": [
            (_choice(RefusalReason, r["key"]), r) for r in figures["refusals"]["by_reason"]
        ],
    }


def _charts(figures: dict, rows: dict) -> dict:
    marker = hidden_text(figures)
    largest = _("The largest %(n)s, as the table below lists them all.") % {"n": CHART_ROWS}
    return {
        "days": chart(
            "chart-days",
            _("Detentions by day"),
            _("The last %(n)s days with detentions.") % {"n": CHART_DAYS},
            rows["days"][-CHART_DAYS:],
            marker,
        ),
        "cities": chart(
            "chart-cities", _("Detentions by city"), largest, rows["cities"][:CHART_ROWS], marker
        ),
        "stations": chart(
            "chart-stations",
            _("Detentions by police station"),
            largest,
            rows["stations"][:CHART_ROWS],
            marker,
        ),
        "outcomes": chart(
            "chart-outcomes", _("Outcomes"), _("How the cases ended."), rows["outcomes"], marker
        ),
        "reasons": chart(
            "chart-reasons",
            _("Lawyers refused entry, by reason"),
            _("What the police said when they kept a lawyer out."),
            rows["reasons"],
            marker,
        ),
        "refusals": chart(
            "chart-refusals",
            _("Lawyers refused entry, by police station"),
            largest,
            rows["refusals"][:CHART_ROWS],
            marker,
        ),
    }


@require_safe
@_with_language
def stats_page(request: HttpRequest) -> HttpResponse:
    """The public statistics page, in the reader's language (or ?lang=)."""
    figures = publish.published()
    # Every reader of one language gets the same page until the figures are computed again,
    # and drawing its charts and tables costs ~50 ms: drawn once per language and copy, so
    # a crowd reading it on a protest day costs neither the database nor the CPU.
    key = publish.key(f"{PAGE_KEY}:{_lang()}:{figures['generated_at']}")
    html = cache.get(key)
    if html is None:
        html = _page_html(request, figures)
        cache.set(key, html, settings.HABEAS_STATS_CACHE_SECONDS)
    return HttpResponse(html)


def _page_html(request: HttpRequest, figures: dict) -> str:
    rows = _table_rows(figures)
    reasons = [(code, _choice(RefusalReason, code)) for code in RefusalReason.values]
    context = {
        "figures": figures,
        "marker": hidden_text(figures),
        "rows": rows,
        "charts": _charts(figures, rows),
        "reasons": reasons,
        "other_langs": [code for code in LANGUAGES if code != _lang()],
        "tables": TABLES,
        "total": _shown(figures["total"], figures),
        "generated_at": _when(figures["generated_at"]),
        "refusals_total": _shown(figures["refusals"]["total"], figures),
        "waits": [(_station(r), r) for r in figures["waits"]],
        **hotline(),
    }
    return render_to_string("public/stats.html", context, request=request)


def _labels() -> dict:
    """The codes' names in both languages, so a reader of the JSON needs no other file."""
    found = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            found[lang] = {
                "kind": {k: str(v) for k, v in Kind.choices},
                "outcome": {k: _choice(CaseOutcome, k) for k in [*CaseOutcome.values, "none"]},
                "reason": {k: str(v) for k, v in RefusalReason.choices},
                "not_known": _not_known(),
            }
    return found


@require_safe
@_with_language
def stats_json(request: HttpRequest) -> HttpResponse:
    """The published statistics as one JSON document (schema in docs/stats.md)."""
    figures = publish.published()
    body = {**figures, "suppressed_marker": hidden_text(figures), "labels": _labels()}
    body["cities"] = [{**r, "label": _city(r["key"])} for r in figures["cities"]]
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="habeas-stats.json"'
    return response


def _csv_rows(table: str, figures: dict) -> list[list]:
    show = lambda cell: _shown(cell, figures)  # noqa: E731 - one line, used in every table
    if table == "summary":
        period = figures["period"] or {"from": "", "to": ""}
        to_lawyer = figures["sos_to_lawyer"]
        return [
            ["measure", "value"],
            ["cases", show(figures["total"])],
            ["refusals", show(figures["refusals"]["total"])],
            ["sos_to_lawyer_cases", show(to_lawyer)],
            [
                "sos_to_lawyer_median_minutes",
                "" if to_lawyer["suppressed"] else to_lawyer["median_minutes"],
            ],
            ["min_count", figures["min_count"]],
            ["kinds", " ".join(figures["kinds"])],
            ["period_from", period["from"]],
            ["period_to", period["to"]],
            ["generated_at", figures["generated_at"]],
        ]
    if table == "days":
        return [["day", "count"]] + [[r["key"], show(r)] for r in figures["days"]]
    if table == "cities":
        head = [["city_key", "city", "count"]]
        return head + [[r["key"], _city(r["key"]), show(r)] for r in figures["cities"]]
    if table == "stations":
        head = [["station_id", "station", "city_key", "count"]]
        return head + [[r["key"], _station(r), r["city"], show(r)] for r in figures["stations"]]
    if table in ("kinds", "outcomes"):
        choices, source = (Kind, "kinds_table") if table == "kinds" else (CaseOutcome, "outcomes")
        head = [[table[:-1], "label", "count"]]
        return head + [[r["key"], _choice(choices, r["key"]), show(r)] for r in figures[source]]
    if table == "refusals":
        refusals = figures["refusals"]
        out = [["station_id", "station", "reason", "reason_label", "count"]]
        for r in refusals["by_station"]:
            for code, cell in r["reasons"].items():
                out.append([r["key"], _station(r), code, _choice(RefusalReason, code), show(cell)])
            out.append([r["key"], _station(r), "all", "", show(r)])
        for r in refusals["by_reason"]:
            out.append(["all", "", r["key"], _choice(RefusalReason, r["key"]), show(r)])
        out.append(["all", "", "all", "", show(refusals["total"])])
        return out
    # waits
    out = [["station_id", "station", "visits", "median_minutes"]]
    for r in figures["waits"]:
        median = "" if r["suppressed"] else r["median_minutes"]
        out.append([r["key"], _station(r), show(r), median])
    return out


@require_safe
@_with_language
def stats_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table as CSV (UTF-8, a header row, hidden counts as "< N")."""
    if table not in TABLES:
        raise Http404("No such table")
    out = io.StringIO()
    csv.writer(out).writerows(_csv_rows(table, publish.published()))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="habeas-{table}.csv"'
    return response
