"""Every write to cases, reports and events.

Each service runs in one transaction and writes the CaseEvent together with the state it
records, so the timeline can never disagree with the case. These are the lower-level writers:
surfaces never call them for a case-changing verb; they call the verb's one entrance in
habeas.dispatch.services (receive_sos, act, withdraw, forget), which keeps offers, capacity
and the audit log in step.
"""

import hmac
import json
import logging
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from habeas.lib import geo, sealing, smscodec
from habeas.lib.articles import normalize_article
from habeas.lib.keyed import keyed_hash, token_digest
from habeas.lib.places import city_key
from habeas.lib.refusals import Refusal
from habeas.notifications import services as notifications

from . import merging
from .models import (
    REQUEST_KINDS,
    Case,
    CaseEvent,
    CaseOutcome,
    Channel,
    EventKind,
    Kind,
    PersonClaim,
    RefusalReason,
    Report,
    ReporterRole,
    Status,
)
from .transitions import ACTIONS

log = logging.getLogger(__name__)

# Sent with case_id once a case's personal data is destroyed (forget, the retention purge):
# apps above cases that keep some of it of their own (a call-back's number) destroy theirs.
details_forgotten = Signal()

REPORT_PURPOSE = "report"
NOTE_PURPOSE = "event-note"
MINOR_PRIORITY = 10
# Below every SOS: a request's lawyer has hours or days, a detainee minutes.
REQUEST_PRIORITY = -10


@dataclass(frozen=True)
class Person:
    full_name: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    accuracy_m: float | None = None
    captured_at: datetime | None = None


def _starts_at(day: date, time: str) -> datetime:
    hour, _, minute = (time or "09:00").partition(":")
    naive = datetime.combine(day, datetime.min.time()).replace(hour=int(hour), minute=int(minute))
    return timezone.make_aware(naive)


@dataclass(frozen=True)
class Summons:
    """A summons "as a witness" or to a police "conversation": when and where, what it says."""

    date: date
    time: str = ""  # "HH:MM", or empty when the paper gives none
    place: str = ""
    text: str = ""
    reason: str = "other"  # witness, conversation, metro, other

    def starts_at(self) -> datetime:
        return _starts_at(self.date, self.time)


@dataclass(frozen=True)
class AidRequest:
    """A request for legal aid that is no emergency (a consultation, court representation,
    help with an appeal): the day it is for, if any, where, and what the person asks."""

    date: "date | None" = None  # the hearing, the deadline, the day that suits the person
    time: str = ""
    place: str = ""  # the court, an address
    text: str = ""

    def starts_at(self) -> datetime | None:
        return _starts_at(self.date, self.time) if self.date else None


@dataclass(frozen=True)
class Reporter:
    """Who reports someone else's detention (a relative, a witness, a hotline caller): their
    own way to be told of each step. Sealed with the report, like the person's details."""

    name: str = ""
    phone: str = ""
    telegram: str = ""
    email: str = ""
    relation: str = ""  # free text: "mother", "friend", "saw it at the metro"


@dataclass(frozen=True)
class Intake:
    """An SOS as received, already validated by the surface that took it."""

    kind: str = Kind.DETENTION
    person: Person = field(default_factory=Person)
    location: Location | None = None
    channel: str = Channel.APP
    reporter_role: str = ReporterRole.SELF
    # Up to three {"phone" | "email" | "telegram": value} the detainee chose to alert.
    contacts: tuple[dict, ...] = ()
    summons: "Summons | None" = None
    # The details of a request of another kind in REQUEST_KINDS.
    aid: AidRequest | None = None
    # Set when reporter_role is not "self": the person reporting, not the person detained.
    reporter: Reporter | None = None
    # The city the person gave ("My details"), for a case that arrives with no location.
    city: str = ""
    # The language of the app that sent it ("" when not known): its contacts are written to
    # in it. Not part of the SOS itself: a retry from an app switched to another language is
    # the same SOS.
    language: str = ""

    def due_at(self) -> datetime | None:
        """When a request is for (Case.due_at); None for an SOS."""
        if self.summons is not None:
            return self.summons.starts_at()
        return self.aid.starts_at() if self.aid is not None else None


@dataclass(frozen=True)
class Opened:
    case: Case
    status_token: str  # "" when the caller gave only a public reference (an SMS)
    created: bool
    # The app proved the key of an SOS that its SMS had opened first: the phone now holds the
    # status token, and the contacts it names can be told.
    claimed: bool = False
    # The report joined a case another report of the same person had opened: `case` is that
    # case, and it is not dispatched again.
    merged: bool = False


class IdempotencyConflict(Refusal):
    """The idempotency key was already used for a different SOS."""

    CODES = frozenset({"key_reused"})


class TransitionError(Refusal):
    """The action is not allowed for this case now, or not for this person.

    Codes: not_now (params action, status), staff_only, detainee_only, dispatchers_only,
    assignee_only, unknown_action, station_required, lawyer_required, bad_reason,
    bad_article, bad_court_date, court_date_too_old (params action, and limit_days).
    """

    CODES = frozenset(
        {
            "not_now",
            "staff_only",
            "detainee_only",
            "dispatchers_only",
            "assignee_only",
            "unknown_action",
            "station_required",
            "lawyer_required",
            "bad_reason",
            "bad_article",
            "bad_court_date",
            "court_date_too_old",
            "bad_case_outcome",
            "others_reported",
        }
    )


def status_token_for(idempotency_key: str) -> str:
    """Derive the status token from the idempotency key.

    A client whose first answer was lost retries with the same key and must get the same token
    back, yet only the token's hash is stored: so the token is derived, not kept.
    """
    return keyed_hash("status-token", idempotency_key)[:43]


def watch_token_for(idempotency_key: str) -> str:
    """The read-only status link's token; short enough for a one-SMS message."""
    return keyed_hash("watch-token", idempotency_key)[:22]


hash_token = token_digest


def _fingerprint(intake: Intake) -> str:
    fields = asdict(intake)
    # Left out when empty, so an SOS sent before cities existed and repeated after an
    # upgrade is still the same SOS.
    if not fields["city"]:
        del fields["city"]
    del fields["language"]
    body = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return keyed_hash("fingerprint", body)


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _priority(kind: str, minor: bool) -> int:
    if kind in REQUEST_KINDS:
        return REQUEST_PRIORITY
    return MINOR_PRIORITY if minor else 0


def _sealed_details(intake: Intake) -> dict:
    person = asdict(intake.person)
    if intake.person.date_of_birth:
        person["date_of_birth"] = intake.person.date_of_birth.isoformat()
    location = None
    if intake.location:
        location = asdict(intake.location)
        if intake.location.captured_at:
            location["captured_at"] = intake.location.captured_at.isoformat()
    summons = None
    if intake.summons:
        summons = {**asdict(intake.summons), "date": intake.summons.date.isoformat()}
    aid = None
    if intake.aid:
        aid = asdict(intake.aid) | {"date": intake.aid.date.isoformat() if intake.aid.date else ""}
    return {
        "person": person,
        "location": location,
        "contacts": list(intake.contacts),
        "summons": summons,
        "request": aid,
        "reporter": asdict(intake.reporter) if intake.reporter else None,
    }


def open_details(report: Report) -> dict:
    """Open a report's sealed details: {"person": {...}, "location": {...} | None}."""
    if report.sealed is None:
        return {"person": {}, "location": None}
    return sealing.open_sealed(report.sealed, REPORT_PURPOSE)


def open_note(event: CaseEvent) -> str:
    if event.sealed_note is None:
        return ""
    return sealing.open_sealed(event.sealed_note, NOTE_PURPOSE)["text"]


def stored_key(reference: str) -> str:
    """What the database keeps of an SOS's key: a keyed hash of its public reference.

    The key itself is never stored: with it a copy of the database would give anyone the
    status token (derived from the key) and the power to withdraw or forget the case.
    """
    return keyed_hash("sos-reference", reference)


def stored_key_of(idempotency_key: str) -> str:
    """What the database keeps for an SOS sent with this key (by the app or its SMS)."""
    return stored_key(smscodec.reference(idempotency_key))


def _joined(report: Report) -> bool:
    """Whether this report joined a case that another report opened."""
    first = report.case.reports.order_by("created_at", "id").values_list("pk", flat=True)[:1]
    return list(first) != [report.pk]


def _existing(stored: str, fingerprint: str, intake: Intake, key: str) -> Opened | None:
    report = Report.objects.select_related("case").filter(idempotency_key=stored).first()
    if report is None:
        return None
    token = status_token_for(key) if key else ""
    if report.channel == intake.channel:
        # Within one channel a different body under a key is a mistake, not a retry.
        if not hmac.compare_digest(report.fingerprint, fingerprint):
            raise IdempotencyConflict("key_reused")
        return Opened(report.case, token, created=False, merged=_joined(report))
    if key and report.channel == Channel.SMS:
        # The SMS carried only the reference; this caller holds the key behind it (the
        # reference is its one-way hash), so it is the phone that sent both: hand it the
        # status link the SMS could not.
        Report.objects.filter(pk=report.pk).update(
            status_token_hash=hash_token(token),
            watch_token_hash=hash_token(watch_token_for(key)),
        )
        return Opened(report.case, token, created=False, claimed=True)
    # The same SOS by another channel carries other fields: one case, not a conflict. A
    # caller who shows only the public reference gets no token.
    return Opened(report.case, token if key else "", created=False)


def _nearest_station(loc: Location | None):
    from habeas.stations.services import nearest

    if loc is None:
        return None
    found = nearest(geo.coarse(loc.lat), geo.coarse(loc.lon), limit=1)
    return found[0].station if found else None


def indexes_of(person: Person) -> tuple[str, str]:
    """The person's blind index (name + date of birth) and name index; "" where unknown."""
    key = settings.HABEAS_INDEX_KEY
    blind = ""
    if person.full_name and person.date_of_birth:
        blind = sealing.blind_index(key, person.full_name, person.date_of_birth.isoformat())
    return blind, sealing.name_index(key, person.full_name)


def open_case(intake: Intake, *, idempotency_key: str = "", reference: str = "") -> Opened:
    """Record an SOS as a report with its event, exactly once per key: in a new case, or in
    the case this person already has (one person, one case).

    Give the client's secret `idempotency_key`, or, for an SOS by SMS, only the public
    `reference` it carries (smscodec.reference of the key). A report whose blind index has an
    open case (or, from someone else, one closed within a day; cases.merging.joinable) joins
    it (merged=True) with a `merged` event. A repeat of the same key with the same body
    returns the existing case (created=False); with a different body on the same channel it
    raises IdempotencyConflict. Safe under concurrent repeats and concurrent reports of one
    person (the claim row of cases.merging).
    """
    if bool(idempotency_key) == bool(reference):
        raise ValueError("give either the idempotency key or the SMS's reference")
    fingerprint = _fingerprint(intake)
    stored = stored_key(reference) if reference else stored_key_of(idempotency_key)
    # Only the key's holder gets a status token; a reference alone gets a link nobody knows.
    token = status_token_for(idempotency_key) if idempotency_key else ""
    watch = watch_token_for(idempotency_key) if idempotency_key else secrets.token_urlsafe(16)
    # No look-up first: nearly every SOS carries a new key, and a repeat finds its case in the
    # IntegrityError branch below, once its savepoint is rolled back. That query was a fifth of
    # the SOS's CPU time (docs/benchmarks.md, surge).

    person = intake.person
    today = timezone.localdate()
    minor = bool(person.date_of_birth and _age_on(person.date_of_birth, today) < 18)
    loc = intake.location
    blind, name = indexes_of(person)
    try:
        with transaction.atomic():
            claim = merging.claim(blind) if blind else None
            joined = claim.case if claim is not None else None
            if not merging.joinable(joined, intake.kind, intake.reporter_role):
                joined = None
            case = joined or Case.objects.create(
                kind=intake.kind,
                is_minor=minor,
                priority=_priority(intake.kind, minor),
                lat_coarse=geo.coarse(loc.lat) if loc else None,
                lon_coarse=geo.coarse(loc.lon) if loc else None,
                location_captured_at=(loc.captured_at or timezone.now()) if loc else None,
                due_at=intake.due_at(),
                near_station=_nearest_station(loc),
                city=city_key(intake.city),
            )
            if joined is not None and intake.city and not joined.city:
                Case.objects.filter(pk=joined.pk).update(city=city_key(intake.city))
            if claim is not None and joined is None:
                PersonClaim.objects.filter(pk=claim.pk).update(case=case)
            report = Report.objects.create(
                case=case,
                channel=intake.channel,
                reporter_role=intake.reporter_role,
                sealed=sealing.seal(_sealed_details(intake), REPORT_PURPOSE),
                blind_index=blind,
                name_index=name,
                status_token_hash=hash_token(token or secrets.token_urlsafe(32)),
                watch_token_hash=hash_token(watch),
                idempotency_key=stored,
                fingerprint=fingerprint,
            )
            if joined is None:
                CaseEvent.objects.create(case=case, kind=EventKind.REPORTED)
            else:
                # Facts that name nobody: which report, by which way in, from whom.
                facts = {"report": report.pk, "channel": intake.channel}
                record_event(case, EventKind.MERGED, data=facts | {"role": intake.reporter_role})
    except IntegrityError:
        # The key was used before (a retry, or a concurrent request that won the race):
        # answer with its case.
        opened = _existing(stored, fingerprint, intake, idempotency_key)
        if opened is None:
            raise
        return opened
    if joined is not None:
        log.info("case %s: another report joined via %s", case.public_id, intake.channel)
        return Opened(case, token, created=True, merged=True)
    log.info("case %s opened via %s", case.public_id, intake.channel)
    return Opened(case, token, created=True)


def report_for_token(token: str) -> Report | None:
    """Find the report (with its case) a status token belongs to, or None.

    Several people may follow one case, each through their own report: what a token may do
    (withdraw, forget) depends on whose report it is.
    """
    if not token or len(token) > 128:
        return None
    return (
        Report.objects.select_related("case", "case__police_station")
        .filter(status_token_hash=hash_token(token))
        .first()
    )


def case_for_token(token: str) -> Case | None:
    """Find the case a status token belongs to, or None."""
    report = report_for_token(token)
    return report.case if report else None


def case_for_watch_token(token: str) -> Case | None:
    """Find the case a trusted contact's link points to, or None."""
    if not token or len(token) > 64:
        return None
    report = (
        Report.objects.select_related("case", "case__police_station")
        .filter(watch_token_hash=hash_token(token))
        .first()
    )
    return report.case if report else None


def allowed_actions(case: Case, user) -> list[str]:
    """The staff actions this user may take on this case now, in display order."""
    return [name for name in ACTIONS if refusal(case, name, user) is None]


def refusal(case: Case, action_name: str, user) -> str | None:
    """The code of the rule that stops this user from this action now, or None."""
    action = ACTIONS[action_name]
    if case.status not in action.allowed_from:
        return "not_now"
    if user is None:
        return None if not action.staff else "staff_only"
    if not action.staff:
        return "detainee_only"
    dispatcher = getattr(user, "is_dispatcher", False)
    if action.dispatcher_only and not dispatcher:
        return "dispatchers_only"
    if action.assignee_only and not dispatcher and case.assigned_lawyer_id != user.pk:
        return "assignee_only"
    return None


# A court date typed in late may lie a little in the past; further back it is a typo.
COURT_DATE_PAST_DAYS = 30


def _event_data(action_name: str, inputs: dict) -> dict:
    """Check an action's extra inputs and return the facts to keep on the event."""
    needs = ACTIONS[action_name].needs
    data: dict = {}
    if "reason" in needs:
        reason = inputs.get("reason", "")
        if reason not in RefusalReason.values:
            raise TransitionError("bad_reason", action=action_name)
        data["reason"] = reason
    if "article" in needs:
        article = normalize_article(inputs.get("article", ""))
        if article is None:
            raise TransitionError("bad_article", action=action_name)
        data["article"] = article
    if "court_date" in needs:
        value = inputs.get("court_date")
        try:
            when = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError as exc:
            raise TransitionError("bad_court_date", action=action_name) from exc
        if when < timezone.localdate() - timedelta(days=COURT_DATE_PAST_DAYS):
            raise TransitionError(
                "court_date_too_old", action=action_name, limit_days=COURT_DATE_PAST_DAYS
            )
        data["court_date"] = when.isoformat()
    if "outcome" in needs:
        # Asked for by the console; a service closing without one leaves it unknown.
        outcome = inputs.get("outcome", "")
        if outcome and outcome not in CaseOutcome.values:
            raise TransitionError("bad_case_outcome", action=action_name)
        if outcome:
            data["outcome"] = outcome
    if action_name == "released":
        data["with_protocol"] = bool(inputs.get("with_protocol"))
    return data


def transition(
    case_id: int,
    action_name: str,
    *,
    actor=None,
    note: str = "",
    station=None,
    lawyer=None,
    inputs: dict | None = None,
    facts: dict | None = None,
) -> Case:
    """Apply a named action from the transitions table and record its event.

    The lower-level writer behind dispatch.services.act / withdraw: call those, not this.
    Locks the case row so that two people pressing "take" at once cannot both win.
    actor=None means the detainee acting through the status token. `lawyer` is the user a
    dispatcher assigns with "assign"; `inputs` carries reason / article / court_date, checked
    here; `facts` are what the calling service knows already (the lawyer who was on the way
    when the person withdrew), kept on the event as they are.
    """
    if action_name not in ACTIONS:
        raise TransitionError("unknown_action", action=action_name[:40])
    action = ACTIONS[action_name]
    data = {**(facts or {}), **_event_data(action_name, inputs or {})}
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if (code := refusal(case, action_name, actor)) is not None:
            raise TransitionError(code, action=action_name, status=case.status)
        if action.needs_station and station is None:
            raise TransitionError("station_required", action=action_name)
        if "lawyer" in action.needs and (lawyer is None or not getattr(lawyer, "is_active", 0)):
            raise TransitionError("lawyer_required", action=action_name)
        now = timezone.now()
        fields = ["updated_at"]
        if action.event == EventKind.ACCEPTED:
            if case.assigned_lawyer_id:
                data["from_lawyer"] = case.assigned_lawyer_id
            case.assigned_lawyer = lawyer if "lawyer" in action.needs else actor
            case.escalated_at = None
            fields += ["assigned_lawyer", "escalated_at"]
            data["lawyer"] = case.assigned_lawyer.pk
        if action.needs_station:
            case.police_station = station
            fields.append("police_station")
        if action.to is not None:
            case.status = action.to
            fields.append("status")
        if action.to == Status.CLOSED:
            from .tasks import purge_case

            case.closed_at = now
            case.close_reason = "false_alarm" if action_name == "withdraw" else "closed"
            case.outcome = (
                CaseOutcome.FALSE_ALARM if action_name == "withdraw" else data.get("outcome", "")
            )
            case.purge_after = now + timedelta(days=settings.HABEAS_RETENTION_DAYS)
            fields += ["closed_at", "close_reason", "outcome", "purge_after"]
            # The retention clock is a task row in this transaction: it fires even if the
            # server restarts in the meantime.
            purge_case.using(run_after=case.purge_after).enqueue(case.pk)
        case.save(update_fields=fields)
        CaseEvent.objects.create(
            case=case,
            kind=action.event,
            author=actor,
            station=station if action.needs_station else None,
            sealed_note=sealing.seal({"text": note}, NOTE_PURPOSE) if note.strip() else None,
            data=data,
        )
    log.info("case %s: %s", case.public_id, action_name)
    return case


def record_event(case: Case, kind: str, *, actor=None, data: dict | None = None) -> CaseEvent:
    """Add a back-office event (offers, escalation) that changes no status.

    Runs in the caller's transaction; touches the case so live views notice.
    """
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return CaseEvent.objects.create(case=case, kind=kind, author=actor, data=data or {})


def escalate(case: Case) -> None:
    """Flag a case for every dispatcher: no lawyer accepted it in time."""
    Case.objects.filter(pk=case.pk).update(escalated_at=timezone.now())
    record_event(case, EventKind.ESCALATED)


def new_idempotency_key() -> str:
    """A key for reports that arrive without one (operator entries)."""
    return secrets.token_urlsafe(24)


def forget_details(case_id: int) -> int:
    """Destroy the personal data of a case: report blobs, blind index, staff notes.

    The lower-level writer behind dispatch.services.forget and the retention purge.
    What remains is anonymous: kind, times, station, events and their facts, for statistics.
    Returns how many blobs were destroyed.
    """
    with transaction.atomic():
        reports = Report.objects.filter(case_id=case_id, sealed__isnull=False)
        notes = CaseEvent.objects.filter(case_id=case_id, sealed_note__isnull=False)
        count = reports.count() + notes.count()
        for report_id in Report.objects.filter(case_id=case_id).values_list("pk", flat=True):
            _erase_report(report_id)
        # The claim is the blind index again, and a later report must not join a case with
        # nothing left in it.
        PersonClaim.objects.filter(case_id=case_id).delete()
        notes.update(sealed_note=None)
        Case.objects.filter(pk=case_id).update(
            lat_coarse=None, lon_coarse=None, purge_after=None, updated_at=timezone.now()
        )
        # Messages to the person's trusted contacts hold their addresses (dispatch.messages).
        notifications.erase(f"contact:{case_id}:")
        details_forgotten.send(sender=Case, case_id=case_id)
    log.info("case %s: personal data destroyed (%s blobs)", case_id, count)
    return count


def _erase_report(report_id: int) -> None:
    # The key's hash and the body's fingerprint could confirm a guess of what was sent (a
    # phone number, a name): overwritten with values that match nothing, with the blob and
    # both indexes. Each forgotten key is its own, as the column is unique.
    Report.objects.filter(pk=report_id).update(
        sealed=None,
        blind_index="",
        name_index="",
        idempotency_key=f"forgotten-{secrets.token_hex(24)}",
        fingerprint="",
    )


def forget_report(report_id: int) -> None:
    """Destroy one report's personal data: what a relative or witness sent, and their own
    contact. Other reports of the case, and the detained person's own, stay."""
    _erase_report(report_id)
    report = Report.objects.only("case_id").get(pk=report_id)
    Case.objects.filter(pk=report.case_id).update(updated_at=timezone.now())
    log.info("case %s: one report's personal data destroyed", report.case_id)


def purge_due(now: datetime | None = None) -> int:
    """Destroy personal data of every closed case past its retention date."""
    due = Case.objects.filter(status=Status.CLOSED, purge_after__lte=now or timezone.now())
    return sum(forget_details(case_id) for case_id in due.values_list("pk", flat=True))
