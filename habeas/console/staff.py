"""Staff: an administrator invites dispatchers, operators and lawyers, and lets them go.

Inviting shows a single-use, expiring link once (it is never stored, only its hash); the
administrator passes it on by a channel they trust. Deactivating ends the person's sessions
at once and hands their work on (dispatch.services.staff_left). Only administrators: a
stolen dispatcher account must not be able to create accounts.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from habeas.accounts import staff
from habeas.accounts.models import Invitation, Role, SealedTOTPDevice, User
from habeas.dispatch import services as dispatch

from .access import admin_required
from .acting import parse_id
from .refusals import MESSAGES
from .replies import problem


class InviteForm(forms.Form):
    email = forms.CharField(label=gettext_lazy("Email"), max_length=254)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["role"].initial = Role.LAWYER


# Which field a refusal belongs next to; the rest go above the form.
FIELD_OF = {"bad_email": "email", "already_staff": "email", "bad_role": "role"}


def _rows():
    """Every account with what the page says of it: role, authenticator set up, open link."""
    now = timezone.now()
    open_link = Invitation.objects.filter(
        user=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now
    )
    device = SealedTOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.annotate(invited=Exists(open_link), enrolled=Exists(device))
        .order_by("-is_active", "role", "last_name", "first_name", "email")
        .only("email", "first_name", "last_name", "role", "is_active", "last_login")
    )


def _link(token: str) -> str:
    return settings.HABEAS_BASE_URL + reverse("console:welcome", args=[token])


def _page(request, form, *, link=None, invited=None, status=200) -> HttpResponse:
    context = {
        "title": _("Staff"),
        "form": form,
        "rows": _rows(),
        "link": link,
        "invited": invited,
        "hours": settings.HABEAS_INVITATION_HOURS,
    }
    return render(request, "console/staff.html", context, status=status)


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest) -> HttpResponse:
    """The list of staff and the invitation form; a posted form answers with the link."""
    if request.method == "GET":
        return _page(request, InviteForm())
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        user, token = staff.invite(data["email"], data["role"], by=request.user, name=data["name"])
    except staff.StaffRefused as refused:
        text = str(MESSAGES[refused.code]) % refused.params
        form.add_error(FIELD_OF.get(refused.code), text)
        return _page(request, form, status=400)
    return _page(request, InviteForm(), link=_link(token), invited=user)


def _refused(request: HttpRequest, refused: staff.StaffRefused) -> HttpResponse:
    return problem(request, str(MESSAGES[refused.code]) % refused.params, 409)


def _account(raw: str) -> User | None:
    pk = parse_id(raw)
    return User.objects.filter(pk=pk).first() if pk else None


@never_cache
@admin_required
@require_POST
def staff_link(request: HttpRequest, user_id: str) -> HttpResponse:
    """A new invitation link for an active account that lost theirs or changed phones."""
    user = _account(user_id)
    if user is None:
        return problem(request, _("There is no such staff account."), 404)
    try:
        token = staff.new_link(user, by=request.user)
    except staff.StaffRefused as refused:
        return _refused(request, refused)
    return _page(request, InviteForm(), link=_link(token), invited=user)


@admin_required
@require_POST
def staff_deactivate(request: HttpRequest, user_id: str) -> HttpResponse:
    """Lock a member of staff out now and hand on their offers and cases."""
    user = _account(user_id)
    if user is None:
        return problem(request, _("There is no such staff account."), 404)
    if not user.is_active:
        messages.info(request, _("%(person)s was already deactivated.") % {"person": user})
        return redirect("console:staff")
    try:
        left = dispatch.staff_left(user, request.user)
    except staff.StaffRefused as refused:
        return _refused(request, refused)
    text = ngettext(
        "%(person)s is deactivated: %(n)s session ended.",
        "%(person)s is deactivated: %(n)s sessions ended.",
        left.sessions,
    ) % {"person": user, "n": left.sessions}
    if left.offers:
        text += " " + ngettext(
            "%(n)s open offer went to the next lawyer.",
            "%(n)s open offers went to the next lawyer.",
            left.offers,
        ) % {"n": left.offers}
    if left.cases:
        text += " " + _(
            "Their open cases are flagged as escalated; give each to another lawyer: %(cases)s."
        ) % {"cases": ", ".join(left.cases)}
    messages.success(request, text)
    return redirect("console:staff")
