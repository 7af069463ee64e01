"""The organisation's own figures (issue 18): a page for dispatchers and administrators, per
day or per week, and two CSV downloads (the figures, and the obstruction record by station),
each download audited. No names and no case ids: see habeas.stats.own."""

import csv
from datetime import date, timedelta
from io import StringIO

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from habeas.accounts import audit
from habeas.cases.models import CaseOutcome, Channel, Kind, RefusalReason, ReporterRole
from habeas.stats import own

from .access import dispatcher_required
from .replies import problem

# The longest span one request may read: enough to compare protest days or a season, short
# enough that a page reads a bounded number of rows.
MOST_DAYS = {own.DAY: 62, own.WEEK: 53 * 7}
DEFAULT_DAYS = {own.DAY: 14, own.WEEK: 12 * 7}

SECTIONS = {
    "kinds": gettext_lazy("Requests by kind"),
    "channels": gettext_lazy("Requests by channel (first report)"),
    "reporters": gettext_lazy("Who asked (first report)"),
    "reach": gettext_lazy("Cases reached (a lawyer accepted) and not reached"),
    "times": gettext_lazy("Time from the request, minutes (over the cases that got there)"),
    "load": gettext_lazy("Lawyers' load"),
    "refusals": gettext_lazy("Refused entries, by reason"),
    "outcomes": gettext_lazy("Outcomes"),
    "installs": gettext_lazy("The app's first installs (anonymous)"),
}
MEASURES = {
    "reached": gettext_lazy("reached"),
    "not_reached": gettext_lazy("not reached (false alarms left out)"),
    "to_offer_median": gettext_lazy("to the first offer, median"),
    "to_offer_p90": gettext_lazy("to the first offer, p90"),
    "to_offer_cases": gettext_lazy("cases offered"),
    "to_acceptance_median": gettext_lazy("to acceptance, median"),
    "to_acceptance_p90": gettext_lazy("to acceptance, p90"),
    "to_acceptance_cases": gettext_lazy("cases accepted"),
    "to_station_median": gettext_lazy("to a lawyer at the station, median"),
    "to_station_p90": gettext_lazy("to a lawyer at the station, p90"),
    "to_station_cases": gettext_lazy("cases with a lawyer at the station"),
    "lawyers": gettext_lazy("lawyers who took cases"),
    "cases_per_lawyer_median": gettext_lazy("cases per lawyer, median"),
    "cases_per_lawyer_max": gettext_lazy("cases per lawyer, most"),
    "none": pgettext_lazy("outcome", "not recorded or open"),
    "unknown": gettext_lazy("not known (no report kept)"),
    "installs": gettext_lazy("first installs of the app's offline worker"),
}


def label(section: str, key: str) -> str:
    """A row's name in the reader's language."""
    if key in MEASURES:
        return str(MEASURES[key])
    choices = {
        "kinds": Kind,
        "channels": Channel,
        "reporters": ReporterRole,
        "refusals": RefusalReason,
        "outcomes": CaseOutcome,
    }.get(section)
    return str(choices(key).label) if choices and key in choices.values else key


class BadPeriod(ValueError):
    pass


def _day(request: HttpRequest, name: str, default: date) -> date:
    text = request.GET.get(name, "").strip()
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadPeriod(_("“%(field)s” must be a date as YYYY-MM-DD.") % {"field": name}) from None


def chosen_period(request: HttpRequest) -> tuple[date, date, str]:
    """The period asked for: ?by=day|week&from=YYYY-MM-DD&to=YYYY-MM-DD, checked."""
    by = request.GET.get("by", own.DAY)
    if by not in (own.DAY, own.WEEK):
        raise BadPeriod(_("“by” must be “day” or “week”."))
    today = timezone.localdate()
    last = _day(request, "to", today)
    first = _day(request, "from", last - timedelta(days=DEFAULT_DAYS[by] - 1))
    if first > last:
        raise BadPeriod(_("“from” must not be after “to”."))
    if (last - first).days + 1 > MOST_DAYS[by]:
        raise BadPeriod(
            _("“from” and “to” may be at most %(days)s days apart for “by=%(by)s”.")
            % {"days": MOST_DAYS[by], "by": by}
        )
    return first, last, by


def period_name(start: date, by: str) -> str:
    if by == own.WEEK:
        return _("week of %(day)s") % {"day": start.isoformat()}
    return start.isoformat()


def checked(view):
    """Read the period; answer a bad one with a 400 that names the field."""

    def wrapped(request: HttpRequest) -> HttpResponse:
        try:
            first, last, by = chosen_period(request)
        except BadPeriod as bad:
            return problem(request, str(bad), 400)
        return view(request, first, last, by)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_GET(never_cache(dispatcher_required(wrapped)))


@checked
def page(request: HttpRequest, first: date, last: date, by: str) -> HttpResponse:
    """The figures as tables, one per section, a column per period."""
    found = own.figures(first, last, by)
    sections = [
        {
            "title": SECTIONS[s.key],
            "rows": [
                {"label": label(s.key, r.key), "values": r.values, "total": r.total} for r in s.rows
            ],
        }
        for s in found.sections
    ]
    query = f"by={by}&from={first.isoformat()}&to={last.isoformat()}"
    context = {
        "title": _("Figures"),
        "sections": sections,
        "periods": [period_name(p, by) for p in found.periods],
        "first": first,
        "last": last,
        "by": by,
        "query": query,
        "most_days": MOST_DAYS,
    }
    return render(request, "console/figures.html", context)


def _csv(rows: list[list], filename: str) -> HttpResponse:
    out = StringIO()
    csv.writer(out).writerows([["" if v is None else v for v in row] for row in rows])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@checked
def figures_csv(request: HttpRequest, first: date, last: date, by: str) -> HttpResponse:
    """One row per measure: section, key, label, a column per period, the total."""
    found = own.figures(first, last, by)
    rows = [["section", "key", "label", *[p.isoformat() for p in found.periods], "total"]]
    for section in found.sections:
        for row in section.rows:
            rows.append([section.key, row.key, label(section.key, row.key), *row.values, row.total])
    audit.record(request.user, "view", "", f"figures exported ({by}, {first} to {last})")
    return _csv(rows, f"figures-{by}-{first}-{last}.csv")


@checked
def obstruction_csv(request: HttpRequest, first: date, last: date, by: str) -> HttpResponse:
    """Per police station: refusals by reason, and the lawyers' waits at the door."""
    reasons = list(RefusalReason.values)
    rows = [
        [
            "station_id",
            "station",
            "city",
            *[f"refused_{r}" for r in reasons],
            "refused_total",
            "waits",
            "wait_median_minutes",
            "wait_p90_minutes",
            "wait_longest_minutes",
        ]
    ]
    for record in own.obstruction(first, last):
        waits = record.waits
        rows.append(
            [
                record.station_id,
                record.name,
                record.city,
                *[record.refusals[r] for r in reasons],
                sum(record.refusals.values()),
                len(waits),
                round(own.percentile(waits, 0.5)) if waits else None,
                round(own.percentile(waits, 0.9)) if waits else None,
                round(max(waits)) if waits else None,
            ]
        )
    audit.record(request.user, "view", "", f"obstruction by station exported ({first} to {last})")
    return _csv(rows, f"obstruction-by-station-{first}-{last}.csv")
