"""A hotline operator enters a phone call as a case: who calls, who was detained, where.

The same intake as the API (habeas.dispatch.services.receive_call): the details are sealed,
reports of one person merge, the case is dispatched like an SOS. The form carries its own
idempotency key, so a double press or a resent form makes one case.
"""

import secrets

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from habeas.cases import services as cases
from habeas.cases.models import Channel, Kind, ReporterRole
from habeas.dispatch import services as dispatch
from habeas.lib.places import MAX_LENGTH as CITY_MAX_LENGTH
from habeas.lib.places import is_city_name
from habeas.stations.models import PoliceStation

from .access import hotline_required

# Who is on the phone. A lawyer calling in is recorded as a witness with that relation.
CALLERS = [
    ("self", gettext_lazy("The person detained")),
    ("relative", gettext_lazy("A relative or friend")),
    ("witness", gettext_lazy("A witness")),
    ("lawyer", gettext_lazy("A lawyer")),
]
PHONE_RE = r"^\+?[0-9 ()\-]{3,32}$"


class NewCaseForm(forms.Form):
    key = forms.RegexField(regex=r"^[A-Za-z0-9_\-]{16,64}$", widget=forms.HiddenInput)
    caller = forms.ChoiceField(choices=CALLERS, label=gettext_lazy("Who calls"))
    kind = forms.ChoiceField(
        choices=[(k, v) for k, v in Kind.choices],
        initial=Kind.DETENTION,
        label=gettext_lazy("What"),
    )
    full_name = forms.CharField(max_length=200, label=gettext_lazy("Name of the person"))
    date_of_birth = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=gettext_lazy("Date of birth"),
    )
    phone = forms.RegexField(
        regex=PHONE_RE, required=False, max_length=32, label=gettext_lazy("Their phone")
    )
    station = forms.ModelChoiceField(
        PoliceStation.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Police station, if known"),
    )
    city = forms.CharField(
        max_length=CITY_MAX_LENGTH,
        required=False,
        label=gettext_lazy("City, if the station is not known"),
    )
    note = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=gettext_lazy("Where and when, health, what else the caller knows"),
    )
    caller_name = forms.CharField(
        max_length=200, required=False, label=gettext_lazy("Caller's name")
    )
    caller_phone = forms.RegexField(
        regex=PHONE_RE,
        required=False,
        max_length=32,
        label=gettext_lazy("Caller's phone, for updates"),
    )
    caller_relation = forms.CharField(
        max_length=100, required=False, label=gettext_lazy("Who the caller is to the person")
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and (born > timezone.localdate() or born.year < 1900):
            raise forms.ValidationError(_("Enter a date of birth between 1900 and today."))
        return born

    def clean_city(self):
        city = " ".join(self.cleaned_data.get("city", "").split())
        if not is_city_name(city):
            raise forms.ValidationError(_("Enter only the city's name: letters, spaces, hyphens."))
        return city

    def intake(self) -> cases.Intake:
        data = self.cleaned_data
        caller = data["caller"]
        station = data["station"]
        reporter = None
        if caller != "self":
            relation = data["caller_relation"] or (_("lawyer") if caller == "lawyer" else "")
            reporter = cases.Reporter(
                name=data["caller_name"], phone=data["caller_phone"], relation=relation
            )
        return cases.Intake(
            kind=data["kind"],
            person=cases.Person(
                full_name=data["full_name"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                note=data["note"],
            ),
            # The station's position routes the case to the lawyers near it.
            location=cases.Location(lat=station.lat, lon=station.lon) if station else None,
            # Without a station, the city decides which lawyers are asked.
            city=station.city if station and station.city else data["city"],
            channel=Channel.OPERATOR,
            reporter_role=ReporterRole.SELF
            if caller == "self"
            else (ReporterRole.RELATIVE if caller == "relative" else ReporterRole.WITNESS),
            reporter=reporter,
        )


@never_cache
@hotline_required
@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest) -> HttpResponse:
    form = NewCaseForm(request.POST or None, initial={"key": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        opened = dispatch.receive_call(
            form.intake(), idempotency_key=f"call-{form.cleaned_data['key']}", operator=request.user
        )
        if opened.created:
            messages.success(request, _("Case %(id)s opened.") % {"id": opened.case.public_id})
        else:
            messages.info(
                request,
                _("This person already has case %(id)s: the call was added to it.")
                % {"id": opened.case.public_id},
            )
        return redirect("console:case", opened.case.public_id)
    status = 400 if form.errors else 200
    return render(
        request, "console/new_case.html", {"form": form, "title": _("New case")}, status=status
    )
