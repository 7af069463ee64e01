"""What dispatch tells people, and through which channels. Texts are short: one SMS each."""

from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from habeas.cases import services as cases
from habeas.cases.models import Case, CaseEvent, EventKind, Origin
from habeas.lib.places import city_label
from habeas.lib.smscodec import fits_one_sms
from habeas.notifications import services as notifications
from habeas.notifications.models import PushSubscription


def _place(case: Case) -> str:
    """Where to go, as far as the envelope tells: the station, else the city given."""
    if case.place:
        return case.place.name
    if case.city:
        return _("%(city)s, place not known") % {"city": city_label(case.city, get_language())}
    return ""


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


def tell_lawyer(user, compose, dedupe: str) -> None:
    """Tell a lawyer something on every channel they chose, in their language: `compose()`
    returns (subject, body) and runs under that language (court reminders)."""
    lawyer = getattr(user, "lawyer", None)
    with translation.override(_language(user)):
        subject, body = compose()
    channels = (lawyer.channel_list if lawyer else []) or ["email"]
    _send_to_staff(user, channels, subject, body, dedupe)


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
        if case.is_request:
            subject, body = _request_offer(case, link)
        # First, before the link: a lawyer who calls a phone the police hold tells them
        # that the person asked for help.
        if case.origin == Origin.DURESS:
            warning = _("Duress PIN: the person may be under pressure — do not call their phone.")
            body = f"{warning} {body.strip()}"
        elif case.origin == Origin.TIMER:
            if case.location_captured_at:
                when = timezone.localtime(case.location_captured_at).strftime("%H:%M")
                warning = _("Check-in timer expired; location as of %(time)s.") % {"time": when}
            else:
                warning = _("Check-in timer expired.")
            body = f"{warning} {body.strip()}"
    _send_to_staff(
        lawyer.user, lawyer.channel_list or ["email"], subject, body.strip(), f"offer:{offer.pk}"
    )


def _request_offer(case: Case, link: str) -> tuple[str, str]:
    """A request is no emergency, and says so: what it is, the day it is for, hours to answer."""
    what = case.get_kind_display().lower()
    subject = _("Request %(id)s: %(what)s") % {"id": case.public_id, "what": what}
    when = ""
    if case.due_at:
        when = timezone.localtime(case.due_at).strftime("%d.%m %H:%M")
    place = _place(case) if case.place else ""
    facts = ", ".join(part for part in (what, when, place) if part)
    body = _("Request for legal aid: %(facts)s. Answer within %(hours)s h: %(link)s") % {
        "facts": facts,
        "hours": settings.HABEAS_REQUEST_OFFER_HOURS,
        "link": link,
    }
    return subject, body


def remind_lawyer_of_request(case: Case, dedupe: str) -> None:
    """The evening before a request's day: its lawyer is reminded, with the case id and a link
    only (the court, the address and the person's words stay behind the login)."""
    link = settings.HABEAS_BASE_URL + reverse("console:case", args=[case.public_id])

    def compose() -> tuple[str, str]:
        when = timezone.localtime(case.due_at).strftime("%d.%m %H:%M")
        what = case.get_kind_display().lower()
        return (
            _("Tomorrow: request %(id)s") % {"id": case.public_id},
            _("Request %(id)s (%(what)s) is for %(when)s: %(link)s")
            % {"id": case.public_id, "what": what, "when": when, "link": link},
        )

    tell_lawyer(case.assigned_lawyer, compose, dedupe)


def remind_person_of_request(case: Case, due_at: str) -> int:
    """The evening before a request's day, the person who asked is reminded of the time and
    who their lawyer is: by SMS to the phone in their own report, and through the bot if they
    follow the case there. No court, no address, no kind of request: an SMS is read by the
    carrier. Returns how many messages were written."""
    from habeas.cases.status import lawyer_name

    addresses = [
        ("sms", phone, "")
        for report in case.reports.filter(sealed__isnull=False, reporter_role="self")
        if (phone := str((cases.open_details(report).get("person") or {}).get("phone") or ""))
    ]
    addresses += [f for f in notifications.followers(follow_topic(case.pk)) if f[0] == "telegram"]
    seen: set[str] = set()
    written = 0
    for channel, address, language in addresses:
        recipient = notifications.address_hash(channel, address)
        if recipient in seen:
            continue
        seen.add(recipient)
        with translation.override(contact_language(language)):
            values = {
                "org": settings.HABEAS_ORG_NAME,
                "id": case.public_id,
                "time": timezone.localtime(case.due_at).strftime("%H:%M"),
                "lawyer": lawyer_name(case) or _("a lawyer of the hotline"),
            }
            body = (
                _("%(org)s, case %(id)s: tomorrow at %(time)s. Your lawyer: %(lawyer)s.") % values
            )
        written += bool(
            notifications.enqueue(
                channel,
                address,
                "",
                body,
                dedupe_key=f"contact:{case.pk}:request-eve:{due_at}:{recipient[:16]}",
            )
        )
    return written


def tell_lawyer_of_withdrawal(case: Case, user) -> None:
    """Tell the lawyer on the case, on every channel they chose, that the person withdrew it."""
    link = settings.HABEAS_BASE_URL + reverse("console:case", args=[case.public_id])

    def compose() -> tuple[str, str]:
        subject = _("Case %(id)s withdrawn") % {"id": case.public_id}
        body = _("The person withdrew the SOS as a false alarm: you need not go. %(link)s") % {
            "link": link
        }
        return subject, body

    tell_lawyer(user, compose, f"withdrawn:{case.pk}")


def alert_dispatchers(
    case: Case | None = None, *, at_once: bool = False, window: int | None = None
) -> int:
    """Tell dispatchers of escalated cases without one message per case.

    With a `case`: `at_once` sends every dispatcher a message about it now (an anomaly, a
    free-text SMS a person must read); otherwise the case waits for the digest of the current
    window of HABEAS_ESCALATION_DIGEST_MINUTES, whose task is scheduled here for the window's
    end. With a `window` (the digest task, at that end): each dispatcher gets one digest of
    the escalated cases still waiting — counts, the oldest wait, a link — at most once per
    window (the dedupe key names it), and none when nothing waits any more.
    Returns how many dispatchers were written to (0 when only scheduled).
    """
    from .services import dispatchers
    from .tasks import enqueue_once, escalation_digest

    span = settings.HABEAS_ESCALATION_DIGEST_MINUTES * 60
    if case is not None and not at_once:
        current = int(timezone.now().timestamp() // span)
        ends = datetime.fromtimestamp((current + 1) * span, tz=UTC)
        enqueue_once(escalation_digest, ends, current)
        return 0
    if case is not None:
        link = settings.HABEAS_BASE_URL + reverse("console:case", args=[case.public_id])
        staff = dispatchers()
        for user in staff:
            with translation.override(_language(user)):
                subject = _("No lawyer for case %(id)s") % {"id": case.public_id}
                body = _("Nobody accepted it in time. Assign by hand: %(link)s") % {"link": link}
            dedupe = f"escalated:{case.pk}:{user.pk}"
            _send_to_staff(user, ["email", "webpush"], subject, body, dedupe)
        return len(staff)
    waiting = Case.objects.open().unassigned().filter(escalated_at__isnull=False)
    facts = waiting.aggregate(
        n=Count("pk"),
        new=Count("pk", filter=Q(escalated_at__gte=datetime.fromtimestamp(window * span, UTC))),
        oldest=Min("created_at"),
    )
    if not facts["n"]:
        return 0
    oldest = max(int((timezone.now() - facts["oldest"]).total_seconds() // 60), 0)
    link = settings.HABEAS_BASE_URL + reverse("console:queue") + "?flag=escalated&unassigned=on"
    staff = dispatchers()
    for user in staff:
        with translation.override(_language(user)):
            subject = ngettext(
                "%(n)s case waits for a lawyer by hand",
                "%(n)s cases wait for a lawyer by hand",
                facts["n"],
            ) % {"n": facts["n"]}
            body = _(
                "Escalated and not taken: %(n)s, %(new)s of them new. The oldest has waited "
                "%(min)s min. Assign by hand: %(link)s"
            ) % {"n": facts["n"], "new": facts["new"], "min": oldest, "link": link}
        dedupe = f"escalation-digest:{window}:{user.pk}"
        _send_to_staff(user, ["email", "webpush"], subject, body, dedupe)
    return len(staff)


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


def _one_sms(candidates: list[str]) -> str:
    """The first text that goes as one SMS; else the last, shortest one (an organisation
    name too long for any of them costs a second SMS, never the link)."""
    return next((text for text in candidates if fits_one_sms(text)), candidates[-1])


def _where_sent(case: Case) -> str:
    """Where the SOS came from, as far as it is true: a station the person is held at is
    named as such; the station nearest to the phone only as "sent from near": after a protest
    the police take people to stations across the city, so it is not where they are held."""
    if case.place_is_known:
        return _("They are held at %(place)s.") % {"place": case.place.name}
    if case.place:
        return _(
            "It was sent from near %(place)s: the police station closest to the phone, "
            "not necessarily where they are held."
        ) % {"place": case.place.name}
    if case.city:
        return _("It was sent from %(city)s.") % {"city": city_label(case.city, get_language())}
    return ""


def contact_text(case: Case, link: str, channel: str) -> tuple[str, str]:
    """The message to a trusted contact: who sends it, the time, what is true so far, the
    private status link.

    Every message starts with the organisation's name: an unsigned SMS with a link from an
    unknown number reads like phishing, and a frightened parent should be able to check who
    wrote. By SMS it is the longest wording that fits one SMS (70 characters in Cyrillic)
    with the whole link; the words go first, the link never.
    """
    org = settings.HABEAS_ORG_NAME
    when = timezone.localtime(case.created_at).strftime("%H:%M")
    facts = {"org": org, "time": when, "link": link}
    if case.is_request:
        # No "SOS", no "lawyers alerted": a request alarms nobody, and no lawyer is on the way.
        if channel == "sms":
            return "", _one_sms(
                [
                    _("%(org)s: legal aid request %(time)s. Status: %(link)s") % facts,
                    _("%(org)s: legal aid request %(time)s. %(link)s") % facts,
                    _("%(org)s: legal aid request. %(link)s") % facts,
                    _("%(org)s: legal aid. %(link)s") % facts,
                ]
            )
        subject = _("%(org)s: request for legal aid sent at %(time)s") % facts
        body = _(
            "%(org)s: someone who trusts you asked for legal aid (%(what)s) at %(time)s. "
            "Follow the request: %(link)s"
        ) % {**facts, "what": case.get_kind_display().lower()}
        return subject, body
    # Only what is true when this is written: a lawyer has the case once one accepted it
    # (a report joining a case can come after that), until then we are looking for one.
    found = case.assigned_lawyer_id is not None
    if channel == "sms":
        return "", _one_sms(
            [
                (
                    _("%(org)s: SOS %(time)s, a lawyer took the case. %(link)s")
                    if found
                    else _("%(org)s: SOS %(time)s, we are looking for a lawyer. %(link)s")
                )
                % facts,
                _("%(org)s: SOS %(time)s. Status: %(link)s") % facts,
                _("%(org)s: SOS %(time)s. %(link)s") % facts,
                _("%(org)s: SOS. %(link)s") % facts,
            ]
        )
    subject = _("%(org)s: SOS sent at %(time)s") % facts
    sentences = [
        _("%(org)s: someone who trusts you sent an SOS at %(time)s.") % facts,
        _where_sent(case),
        _("A lawyer has taken the case.") if found else _("We are looking for a lawyer."),
        _("Follow the case: %(link)s") % facts,
    ]
    return subject, " ".join(part for part in sentences if part)


def contact_language(language: str) -> str:
    """A language we write in, from what an intake carried ("en-us" is English)."""
    base = (language or "").split("-")[0].lower()
    return base if base in dict(settings.LANGUAGES) else "ru"


def tell_contacts(case: Case, intake: cases.Intake, idempotency_key: str) -> None:
    """Send each trusted contact (at most three) the private, read-only status link."""
    if not intake.contacts:
        return
    token = cases.watch_token_for(idempotency_key)
    link = settings.HABEAS_BASE_URL + reverse("public:watch", args=[token])
    # In the language of the app that sent the SOS: the person chose it, and their contacts
    # are most likely to read it (Russian when the intake did not say).
    language = contact_language(intake.language)
    with translation.override(language):
        for contact in intake.contacts[:3]:
            for channel in ("sms", "email", "telegram"):
                if address := contact.get("phone" if channel == "sms" else channel):
                    # Followers too: an app retry that claims an SOS its SMS opened stores no
                    # report of its own, so its contacts are not in any report's details.
                    # Their language goes with them, for the steps that follow.
                    notifications.follow(follow_topic(case.pk), channel, address, language)
                    subject, body = contact_text(case, link, channel)
                    notifications.enqueue(
                        channel,
                        address,
                        subject,
                        body,
                        # Per address, not per slot: a second report that joins the case
                        # names contacts of its own, and each is told once.
                        dedupe_key=f"contact:{case.pk}:link:"
                        + notifications.address_hash(channel, address)[:32],
                    )


def follow_topic(case_id: int) -> str:
    """The notifications topic of a case's followers. Under the `contact:<case>:` prefix, so
    destroying the case's personal data (notifications.erase) forgets them with the rest."""
    return f"contact:{case_id}:followers"


def case_of_topic(topic: str) -> int | None:
    parts = topic.split(":")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


# The public steps everyone who follows a case hears of, beyond the first message.
FOLLOWED_STEPS = frozenset(
    {
        EventKind.HELD_AT,
        EventKind.TRANSFERRED,
        EventKind.LAWYER_ARRIVED,
        EventKind.ADMITTED,
        EventKind.REFUSED_ENTRY,
        EventKind.RELEASED,
        EventKind.COURT_DATE,
    }
)


def step_text(case: Case, event: CaseEvent) -> str:
    """One step of a case in the reader's language: who says it, which case, what happened.

    Short enough for one Cyrillic SMS with a short station name; no name of the person, as
    an SMS is read by the carrier and a Telegram chat by whoever holds the phone.
    """
    where = event.station.name if event.station else ""
    fact = {
        EventKind.HELD_AT: _("held at %(place)s"),
        EventKind.TRANSFERRED: _("moved to %(place)s"),
        EventKind.LAWYER_ARRIVED: _("the lawyer is at the station"),
        EventKind.ADMITTED: _("the lawyer was let in"),
        EventKind.REFUSED_ENTRY: _("the lawyer was refused entry, we keep trying"),
        EventKind.RELEASED: _("released"),
        EventKind.COURT_DATE: _("court on %(date)s"),
    }[event.kind] % {"place": where or "?", "date": event.data.get("court_date", "?")}
    return _("%(org)s, case %(id)s: %(fact)s.") % {
        "org": settings.HABEAS_ORG_NAME,
        "id": case.public_id,
        "fact": fact,
    }


def _report_addresses(case: Case) -> list[tuple[str, str, str]]:
    """(channel, address, language) of the trusted contacts and reporters of a case's
    reports, from their sealed details (their language is not known: Russian)."""
    found = []
    for report in case.reports.filter(sealed__isnull=False).order_by("pk"):
        details = cases.open_details(report)
        people = list(details.get("contacts") or [])[:3]
        if details.get("reporter"):
            people.append(details["reporter"])
        for person in people:
            for channel, key in (("telegram", "telegram"), ("sms", "phone"), ("email", "email")):
                if address := str(person.get(key) or "").strip():
                    found.append((channel, address, ""))
    return found


def tell_followers(case: Case) -> int:
    """Tell everyone who follows the case of its latest step, if it is a public one.

    Followers are the bot's subscribers (in their language), the trusted contacts the app
    named and the reporters who left an address. Each hears each step once (the dedupe key
    names case, event and recipient), under the `contact:<case>:` prefix that forgetting the
    case's details erases. Returns how many messages were written.
    """
    event = case.events.select_related("station").order_by("-created_at", "-id").first()
    if event is None or event.kind not in FOLLOWED_STEPS:
        return 0
    topic = follow_topic(case.pk)
    if not case.reports.filter(sealed__isnull=False).exists():
        # The person's details were destroyed: so is the list of who follows them.
        notifications.unfollow(topic)
        return 0
    seen: set[str] = set()
    written = 0
    for channel, address, language in notifications.followers(topic) + _report_addresses(case):
        recipient = notifications.address_hash(channel, address)
        if recipient in seen:
            continue
        seen.add(recipient)
        with translation.override(contact_language(language)):
            body = step_text(case, event)
            subject = _("%(org)s: case %(id)s") % {
                "org": settings.HABEAS_ORG_NAME,
                "id": case.public_id,
            }
        written += bool(
            notifications.enqueue(
                channel,
                address,
                subject if channel == "email" else "",
                body,
                dedupe_key=f"contact:{case.pk}:step:{event.pk}:{recipient[:16]}",
            )
        )
    return written


def tell_sms_sender(case: Case, phone: str) -> None:
    """Answer an SOS by SMS with one short SMS, so the sender knows it arrived (in Russian:
    the SMS way in serves people in Russia whose mobile data is cut)."""
    with translation.override("ru"):
        body = _("%(org)s: SOS received, case %(id)s. We are finding a lawyer.") % {
            "org": settings.HABEAS_ORG_NAME,
            "id": case.public_id,
        }
    recipient = notifications.address_hash("sms", phone)
    notifications.enqueue(
        "sms", phone, "", body, dedupe_key=f"contact:{case.pk}:sms-ack:{recipient[:16]}"
    )
