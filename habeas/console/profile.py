"""My profile: where a lawyer works, how many cases at once, and how to reach them.

The form only reads types (numbers, ids, lengths); whether the values make sense together is
habeas.lawyers.services.set_coverage's to say, and its RosterError lands next to its field.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from habeas.accounts import twofactor
from habeas.dispatch import policy
from habeas.lawyers import services as lawyers
from habeas.lawyers.models import CHANNELS, Lawyer
from habeas.notifications.models import ChannelName
from habeas.stations.models import PoliceStation

from .access import staff_required
from .acting import parse_id
from .replies import problem


class StationIds(forms.MultipleChoiceField):
    """Station ids as integers; whether each one exists is for the roster service to say."""

    def valid_value(self, value) -> bool:
        return parse_id(str(value)) is not None

    def clean(self, value) -> list[int]:
        return [int(v) for v in super().clean(value)]


class ProfileForm(forms.Form):
    capacity = forms.IntegerField(label=gettext_lazy("Active cases at most"))
    stations = StationIds(
        label=gettext_lazy("Police stations I cover"),
        required=False,
        help_text=gettext_lazy(
            "Cases held at these stations come to you first. With no stations and no base "
            "point, you cover everywhere."
        ),
    )
    base_lat = forms.FloatField(label=gettext_lazy("Base point: latitude"), required=False)
    base_lon = forms.FloatField(label=gettext_lazy("Base point: longitude"), required=False)
    radius_km = forms.IntegerField(
        label=gettext_lazy("And anywhere within (km) of it"),
        required=False,
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages I work in"),
        max_length=50,
        help_text=gettext_lazy("Codes separated by commas, e.g. ru,en. Offers come in the first."),
    )
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Tell me about new cases by"),
        choices=[(c, label) for c, label in ChannelName.choices if c in CHANNELS],
        widget=forms.CheckboxSelectMultiple,
    )
    telegram_chat_id = forms.CharField(
        label=gettext_lazy("Telegram chat id"), max_length=32, required=False
    )
    phone = forms.CharField(
        label=gettext_lazy("Work phone (for SMS)"), max_length=32, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        # Say what the dispatch policy does with an empty radius, in the policy's own number.
        self.fields["radius_km"].help_text = _(
            "Leave empty for %(km)d km around the base point."
        ) % {"km": policy.DEFAULT_RADIUS_M // 1000}
        self.fields["stations"].choices = [
            (pk, f"{name} — {address}" if address else name)
            for pk, name, address in PoliceStation.objects.values_list("pk", "name", "address")
        ]

    def clean_languages(self) -> str:
        # "RU, en" and "ru en" both mean "ru,en": keep what the person meant, in their order.
        return ",".join(re.split(r"[\s,;]+", self.cleaned_data["languages"].strip().lower()))

    def coverage(self) -> lawyers.Coverage:
        data = self.cleaned_data
        return lawyers.Coverage(
            capacity=data["capacity"],
            station_ids=data["stations"],
            base_lat=data["base_lat"],
            base_lon=data["base_lon"],
            radius_km=data["radius_km"],
            languages=data["languages"],
            # In the order the boxes are shown, whatever order the browser posted them in.
            channels=",".join(c for c in CHANNELS if c in data["channels"]),
            telegram_chat_id=data["telegram_chat_id"].strip(),
            phone=data["phone"].strip(),
        )


def initial_for(lawyer: Lawyer | None) -> dict:
    if lawyer is None:
        lawyer = Lawyer()  # the model's defaults, for a lawyer who never saved a profile
        station_ids = []
    else:
        station_ids = list(lawyer.stations.values_list("pk", flat=True))
    return {
        "capacity": lawyer.capacity,
        "stations": station_ids,
        "base_lat": lawyer.base_lat,
        "base_lon": lawyer.base_lon,
        "radius_km": lawyer.radius_km,
        "languages": lawyer.languages,
        "channels": lawyer.channel_list,
        "telegram_chat_id": lawyer.telegram_chat_id,
        "phone": lawyer.phone,
    }


def _page(request: HttpRequest, form: ProfileForm | None, status: int = 200) -> HttpResponse:
    lawyer = Lawyer.objects.filter(user=request.user).first()
    context = {
        "form": form,
        "lawyer": lawyer,
        "vapid_public_key": settings.HABEAS_VAPID_PUBLIC_KEY,
        "push_count": request.user.push_subscriptions.count(),
        "recovery_codes_left": twofactor.recovery_codes_left(request.user),
        "title": _("My profile"),
    }
    return render(request, "console/profile.html", context, status=status)


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show and save the coverage form (lawyers); everyone may turn on notifications here."""
    if request.method == "GET":
        lawyer = Lawyer.objects.filter(user=request.user).first()
        form = ProfileForm(initial=initial_for(lawyer)) if request.user.is_lawyer else None
        return _page(request, form)
    if not request.user.is_lawyer:
        return problem(request, _("Only lawyers have a coverage profile."), 403)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            lawyers.set_coverage(request.user, form.coverage())
        except lawyers.RosterError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("console:profile")
    return _page(request, form, status=400)
