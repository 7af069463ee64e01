"""The invitation link: a new member of staff sets a password and then an authenticator.

The link is single-use and expires (habeas.accounts.invitations); it is the only way to an
authenticator, so a stolen password alone can never enrol the thief's phone.
"""

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from habeas.accounts import invitations

from .twofactor import INVITATION_SESSION_KEY

INVITATION_GONE = {
    "heading": gettext_lazy("This invitation is no longer open"),
    "explanation": gettext_lazy(
        "It was used already, it ran out, or a newer one replaced it. Ask an administrator "
        "for a new invitation link."
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitations.find(token)
    if invitation is None:
        return render(request, "console/invitation.html", INVITATION_GONE, status=410)
    user = invitation.user
    if user.has_usable_password():
        # The administrator gave a password already: log in with it, then set up the app.
        request.session[INVITATION_SESSION_KEY] = invitation.pk
        setup = reverse("console:setup")
        return redirect(f"{reverse('console:login')}?{urlencode({'next': setup})}")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitations.set_password(invitation, form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # After login: it keeps the session's data under a new key.
        request.session[INVITATION_SESSION_KEY] = invitation.pk
        return redirect("console:setup")
    context = {"form": form, "person": user, "heading": _("Welcome to the console")}
    return render(request, "console/welcome.html", context, status=400 if form.errors else 200)
