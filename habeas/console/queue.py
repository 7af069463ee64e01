"""The queue as a triage tool: filters, sorts, search and pages, all read from GET parameters.

The default order is dispatch's own (dispatch.policy.triage: priority, then the longest
waiting), so what a dispatcher sees first is what dispatch offers first, and no case ever
drops out of sight: every case is on some page, and the header counts them.

Search reads only the clear routing envelope and the keyed blind index: a name and date of
birth are hashed with HABEAS_INDEX_KEY exactly as at intake and compared with
Report.blind_index. Nothing sealed is opened or searched in plain text, so the search keeps
working once reports are sealed on the phone.
"""

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from habeas.cases.models import (
    OPEN_STATUSES,
    PUBLIC_ID_ALPHABET,
    Case,
    Kind,
    Origin,
    Report,
    Status,
)
from habeas.console.widgets import LongSelect
from habeas.dispatch.models import Offer, OfferState
from habeas.lib import sealing
from habeas.lib.places import city_label

# Fifty cards are about three screens on a laptop: enough to triage without scrolling forever,
# and the page stays one cheap query however many cases a surge opens.
PAGE_SIZE = 50

# Each sort is a full order ending in the id, so paging never shows a case twice or skips one.
SORTS = {
    "triage": (_("Dispatch order"), ("-priority", "created_at", "id")),
    "oldest": (_("Oldest first"), ("created_at", "id")),
    "newest": (_("Newest first"), ("-created_at", "-id")),
    "changed": (_("Last changed"), ("-updated_at", "-id")),
}

FLAGS = {
    "minor": (_("Minor"), Q(is_minor=True)),
    "duress": (_("Duress PIN"), Q(origin=Origin.DURESS)),
    "timer": (_("Check-in timer"), Q(origin=Origin.TIMER)),
    "escalated": (_("Escalated"), Q(escalated_at__isnull=False)),
}

# The filters folded away under "Filters" unless one is set (the case id stays in sight).
FILTERS = ("name", "born", "status", "kind", "unassigned", "flag", "station", "city", "waiting")

# A week: longer waits are not a triage question any more.
MAX_WAIT_MINUTES = 7 * 24 * 60


def _open_status_choices():
    return [("", _("Any"))] + [(s.value, s.label) for s in Status if s in OPEN_STATUSES]


def open_places() -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """The stations and the cities of the open cases, each by name, for the filters' choices.

    A case's station is its place (where the person is held, else the station nearest the
    SOS); its city is its place's, else the one the person gave. One pass over the open cases:
    two semi-joins took 17 ms at 10,000 open cases, most of it PostgreSQL compiling a plan it
    costed as large, and looking the stations up by 1,000 ids cost 4 ms more in Python
    (bench/scale.py).
    """
    rows = (
        Case.objects.open()
        .annotate(
            place=Coalesce("police_station_id", "near_station_id"),
            place_name=Coalesce("police_station__name", "near_station__name"),
            place_city=Coalesce("police_station__city", "near_station__city"),
        )
        .values_list("place", "place_name", "place_city", "city")
        .distinct()
        .order_by()
    )
    stations, keys = {}, set()
    for place, name, place_city, given in rows:
        if place is not None:
            stations[place] = name
        keys.add(place_city if place is not None else given)
    language = get_language() or "ru"
    return (
        sorted(stations.items(), key=lambda s: (s[1], s[0])),
        sorted(((k, city_label(k, language)) for k in keys - {""}), key=lambda c: c[1]),
    )


class QueueForm(forms.Form):
    """The queue's filters. An invalid value is refused with a 400 that names it."""

    q = forms.CharField(label=_("Case id"), max_length=16, required=False)
    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    born = forms.DateField(label=_("Date of birth"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_open_status_choices, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *Kind.choices], required=False
    )
    unassigned = forms.BooleanField(label=_("Nobody has it yet"), required=False)
    flag = forms.MultipleChoiceField(
        label=_("Flags"),
        choices=[(k, label) for k, (label, _q) in FLAGS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Ids and names only: ~1,000 station objects would cost more than the rest of the page.
    station = forms.TypedChoiceField(
        label=_("Police station"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=LongSelect,
    )
    city = forms.ChoiceField(label=_("City"), required=False, widget=LongSelect)
    waiting = forms.IntegerField(
        label=_("Waiting longer than (min)"),
        min_value=1,
        max_value=MAX_WAIT_MINUTES,
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort"), choices=[(k, label) for k, (label, _o) in SORTS.items()], required=False
    )
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def __init__(self, data, *, may_search_people: bool) -> None:
        super().__init__(data)
        self.may_search_people = may_search_people
        # Only stations where an open case is: the directory holds thousands. Callables, so
        # they are read only when drawn or when a filter names one: the poll does neither.
        # Cached for this form: Django reads a callable's choices each time they are iterated
        # (drawing the select, checking a value), and each read was a query of its own.
        places = functools.cache(open_places)
        self.fields["station"].choices = functools.cache(lambda: [("", _("Any")), *places()[0]])
        self.fields["city"].choices = functools.cache(lambda: [("", _("Any")), *places()[1]])

    def clean_q(self) -> str:
        q = self.cleaned_data["q"].strip().upper().replace(" ", "").replace("-", "")
        if q and any(c not in PUBLIC_ID_ALPHABET for c in q):
            raise forms.ValidationError(_("A case id has only letters and digits, as shown."))
        return q

    def clean(self) -> dict:
        data = super().clean()
        name, born = (data.get("name") or "").strip(), data.get("born")
        if (name or born) and not self.may_search_people:
            # A lawyer's account would otherwise tell whoever holds it whether a person is
            # detained; dispatchers answer families' calls and may look people up.
            raise forms.ValidationError(_("Only dispatchers search by name."))
        if bool(name) != bool(born):
            # The blind index hashes both together: a name alone matches nothing, and no
            # plain-text search of the sealed names exists.
            raise forms.ValidationError(_("Give both the full name and the date of birth."))
        data["name"] = name
        return data


@dataclass
class Queue:
    form: QueueForm
    page: Page
    total: int
    sort: str
    searched_person: bool = False
    querystring: str = ""  # the filters without the page, for the poll and the sort links
    filtered: bool = False  # a filter beyond the case id is set: the form opens to show it
    sorts: list = field(default_factory=list)

    @property
    def page_link(self) -> str:
        """The pager's links up to "page=", the filters kept."""
        return f"?{self.querystring}&" if self.querystring else "?"


def read(params: QueryDict, user) -> QueueForm:
    return QueueForm(params, may_search_people=user.is_dispatcher)


def filtered(form: QueueForm):
    """The cases the valid form asks for, in its order (dispatch order by default)."""
    data = form.cleaned_data
    searching = bool(data["q"] or data["name"])
    # A search looks at closed cases too: a family calls back after the release.
    cases = Case.objects.all() if searching else Case.objects.open()
    if data["q"]:
        cases = cases.filter(public_id=data["q"])
    if data["name"]:
        index = sealing.blind_index(
            settings.HABEAS_INDEX_KEY, data["name"], data["born"].isoformat()
        )
        cases = cases.filter(pk__in=Case.objects.filter(reports__blind_index=index).values("pk"))
    if data["status"]:
        cases = cases.filter(status=data["status"])
    if data["kind"]:
        cases = cases.filter(kind=data["kind"])
    if data["unassigned"]:
        cases = cases.unassigned()
    for flag in data["flag"]:
        cases = cases.filter(FLAGS[flag][1])
    if station := data["station"]:
        # The case's place: where the person is held, else the station nearest the SOS.
        cases = cases.filter(
            Q(police_station=station) | Q(police_station__isnull=True, near_station=station)
        )
    if key := data["city"]:
        # The city of the case's place, else the one the person gave.
        cases = cases.filter(
            Q(police_station__city=key)
            | Q(police_station__isnull=True, near_station__city=key)
            | Q(police_station__isnull=True, near_station__isnull=True, city=key)
        )
    if minutes := data["waiting"]:
        since = timezone.now() - timedelta(minutes=minutes)
        cases = cases.filter(status=Status.OPEN, created_at__lte=since)
    order = SORTS[data["sort"] or "triage"][1]
    return cases.select_related("police_station", "assigned_lawyer").order_by(*order)


def build(form: QueueForm, params: QueryDict, open_count: int | None = None) -> Queue:
    """The page of cases the form asks for, with each card's offer facts for the badges.

    `open_count`, when the caller has counted the open cases, spares the pager counting them
    again for the unfiltered queue, which is all of them."""
    # Report counts are read for the page's cases only (in _annotate_cards): joined into the
    # paged query, they would make its count and its sort group every open case's reports.
    paginator = Paginator(filtered(form), PAGE_SIZE)
    if open_count is not None and not any(form.cleaned_data[name] for name in ("q", *FILTERS)):
        paginator.count = open_count  # a cached_property: set, it is not counted again
    # Past the last page (cases closed meanwhile) shows the last one, not an error.
    page = paginator.get_page(form.cleaned_data["page"] or 1)
    page.object_list = list(page.object_list)
    _annotate_cards(page.object_list)
    rest = params.copy()
    rest.pop("page", None)
    sort = form.cleaned_data["sort"] or "triage"
    sorts = []
    for key, (label, _order) in SORTS.items():
        link = rest.copy()
        link["sort"] = key
        sorts.append(
            {"key": key, "label": label, "query": link.urlencode(), "current": key == sort}
        )
    return Queue(
        form=form,
        page=page,
        total=paginator.count,
        sort=sort,
        searched_person=bool(form.cleaned_data["name"]),
        querystring=rest.urlencode(),
        filtered=any(params.get(name) for name in FILTERS),
        sorts=sorts,
    )


def _annotate_cards(cases) -> None:
    """Set `pending_offer` and `declined` on each case: "offered, no answer yet" and
    "declined by N" are different situations for a dispatcher, and "no lawyer free" a third;
    and `report_count`, how many reports (self, relatives, witnesses) joined it."""
    ids = [c.pk for c in cases]
    now = timezone.now()
    pending = {
        o.case_id: o
        for o in Offer.objects.pending()
        .filter(case_id__in=ids, expires_at__gt=now)
        .select_related("lawyer")
    }
    declined = dict(
        Offer.objects.filter(case_id__in=ids, state=OfferState.DECLINED)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    reports = dict(
        Report.objects.filter(case_id__in=ids)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    for case in cases:
        case.pending_offer = pending.get(case.pk)
        case.declined = declined.get(case.pk, 0)
        case.report_count = reports.get(case.pk, 0)


def fingerprint(params: QueryDict) -> str:
    """A short digest of the filters, for the ETag: another filter is another list."""
    return hashlib.blake2s(params.urlencode().encode(), digest_size=6).hexdigest()
