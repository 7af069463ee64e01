"""What dispatch tells people, and through which channels. Texts are short: one SMS each."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from habeas.cases import services as cases
from habeas.cases.models import Case
from habeas.notifications import services as notifications
from habeas.notifications.models import PushSubscription


def _place(case: Case) -> str:
    return case.place.name if case.place else ""


def _push_addresses(user) -> list[tuple[str, str]]:
    import json

    return [
        (f"webpush:{sub.pk}", json.dumps(sub.as_info()))
        for sub in PushSubscription.objects.filter(user=user)
    ]


def _send_to_staff(user, channel_names, subject: str, body: str, dedupe: str) -> None:
    lawyer = getattr(user, "lawyer", None)
    for channel in channel_names:
        if channel == "webpush":
            for suffix, address in _push_addresses(user):
                notifications.enqueue(
                    "webpush",
                    address,
                    subject,
                    body,
                    dedupe_key=f"{dedupe}:{suffix}",
                    recipient=user,
                )
            continue
        address = {
            "email": user.email,
            "telegram": lawyer.telegram_chat_id if lawyer else "",
            "sms": lawyer.phone if lawyer else "",
        }.get(channel, "")
        notifications.enqueue(
            channel, address, subject, body, dedupe_key=f"{dedupe}:{channel}", recipient=user
        )


def _language(user) -> str:
    lawyer = getattr(user, "lawyer", None)
    first = (lawyer.languages.split(",")[0].strip() if lawyer else "") or "ru"
    return first if first in dict(settings.LANGUAGES) else "ru"


def tell_lawyer_of_offer(offer, lawyer) -> None:
    """Tell the offered lawyer, on every channel they chose, with the link to accept."""
    case = offer.case
    link = settings.HABEAS_BASE_URL + reverse("console:offer", args=[offer.pk])
    minutes = max(settings.HABEAS_OFFER_SECONDS // 60, 1)
    with translation.override(_language(lawyer.user)):
        place = _place(case)
        subject = _("New case %(id)s") % {"id": case.public_id}
        body = _("%(place)s Accept within %(min)s min: %(link)s") % {
            "place": (place + ".") if place else "",
            "min": minutes,
            "link": link,
        }
    _send_to_staff(
        lawyer.user, lawyer.channel_list or ["email"], subject, body.strip(), f"offer:{offer.pk}"
    )


def alert_dispatchers(case: Case) -> None:
    """Tell every dispatcher that a case found no lawyer."""
    from .services import dispatchers

    link = settings.HABEAS_BASE_URL + reverse("console:case", args=[case.public_id])
    for user in dispatchers():
        with translation.override(_language(user)):
            subject = _("No lawyer for case %(id)s") % {"id": case.public_id}
            body = _("Nobody accepted it in time. Assign by hand: %(link)s") % {"link": link}
        _send_to_staff(user, ["email", "webpush"], subject, body, f"escalated:{case.pk}:{user.pk}")


def alert_dispatchers_of_takes(user, count: int, minutes: int) -> None:
    """Tell every dispatcher that one account is taking case after case by itself: the
    pattern of a stolen lawyer account reading one person's details after another."""
    from .services import dispatchers

    link = settings.HABEAS_BASE_URL + reverse("console:roster")
    stamp = timezone.now().strftime("%Y%m%d%H%M")
    for staff in dispatchers():
        with translation.override(_language(staff)):
            subject = _("%(who)s took %(n)s cases in %(min)s min") % {
                "who": user,
                "n": count,
                "min": minutes,
            }
            body = _("Check that this is really them, and suspend the account if not: %(link)s")
        _send_to_staff(
            staff,
            ["email", "webpush"],
            subject,
            body % {"link": link},
            f"takes:{user.pk}:{stamp}:{staff.pk}",
        )


def contact_text(case: Case, link: str, channel: str) -> tuple[str, str]:
    """The message to a trusted contact: time, rough place, the private status link.

    By SMS it is cut to what fits one Cyrillic SMS (70 characters) with a short base URL.
    """
    when = timezone.localtime(case.created_at).strftime("%H:%M")
    if channel == "sms":
        return "", _("SOS %(time)s. Status: %(link)s") % {"time": when, "link": link}
    place = _place(case)
    subject = _("SOS sent at %(time)s") % {"time": when}
    body = _(
        "Someone who trusts you sent an SOS at %(time)s%(place)s. "
        "Lawyers have been alerted. Follow the case: %(link)s"
    ) % {
        "time": when,
        "place": (_(" near %(place)s") % {"place": place}) if place else "",
        "link": link,
    }
    return subject, body


def tell_contacts(case: Case, intake: cases.Intake, idempotency_key: str) -> None:
    """Send each trusted contact (at most three) the private, read-only status link."""
    if not intake.contacts:
        return
    token = cases.watch_token_for(idempotency_key)
    link = settings.HABEAS_BASE_URL + reverse("public:watch", args=[token])
    with translation.override("ru"):
        for number, contact in enumerate(intake.contacts[:3]):
            for channel in ("sms", "email", "telegram"):
                if address := contact.get("phone" if channel == "sms" else channel):
                    subject, body = contact_text(case, link, channel)
                    notifications.enqueue(
                        channel,
                        address,
                        subject,
                        body,
                        dedupe_key=f"contact:{case.pk}:{number}:{channel}",
                    )
