"""The court stage of a case: hearings, decisions, the appeal deadline and its reminders.

The one entrance for recording a hearing or a decision (the console calls nothing else): each
checks its input, writes in one durable transaction with the case's timeline event and the
reminders' task rows, and writes its audit entry. Like timers, this app orchestrates beside
dispatch: it reads cases and tells the case's lawyer through dispatch's messages.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from habeas.accounts import audit
from habeas.cases import services as cases
from habeas.cases.models import Case, EventKind
from habeas.lib import sealing
from habeas.lib.articles import normalize_article
from habeas.lib.refusals import Refusal

from . import deadlines
from .models import Decision, Hearing, Outcome

PURPOSE = "court-hearing"
TEXT_MAX = 200
# A hearing typed in late may lie a little in the past; far ahead, it is a typo.
PAST_DAYS = 30
AHEAD_DAYS = 366
FINE_MAX = 10_000_000  # roubles; KoAP fines for protesters reach 300,000 (20.2 p.8)
ARREST_MAX = 30  # days (KoAP 3.9: up to 30)
WORK_MAX = 200  # hours (KoAP 3.13: up to 200)
# When reminders go out, in the server's time zone: the evening before a hearing, and the
# morning 3 days and 1 day before an appeal is due.
EVENING = time(18, 0)
MORNING = time(9, 0)


class CourtRefused(Refusal):
    """bad_hearing_time, hearing_too_old / hearing_too_far (params days), court_required,
    text_too_long (params field, limit), bad_article, bad_outcome, bad_copy_date,
    copy_before_hearing, copy_in_future, amount_required (params field), amount_out_of_range
    (params field, max), already_decided, case_not_open."""

    CODES = frozenset(
        {
            "bad_hearing_time",
            "hearing_too_old",
            "hearing_too_far",
            "court_required",
            "text_too_long",
            "bad_article",
            "bad_outcome",
            "bad_copy_date",
            "copy_before_hearing",
            "copy_in_future",
            "amount_required",
            "amount_out_of_range",
            "already_decided",
            "case_not_open",
        }
    )


@dataclass(frozen=True)
class HearingDetails:
    court: str
    address: str = ""
    judge: str = ""
    article: str = ""


def _text(value, field: str, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise CourtRefused("court_required")
    if len(text) > TEXT_MAX:
        raise CourtRefused("text_too_long", field=field, limit=TEXT_MAX)
    return text


def _details(court, address, judge, article) -> HearingDetails:
    article_text = " ".join(str(article or "").split())
    kept = normalize_article(article_text) if article_text else ""
    if kept is None:
        raise CourtRefused("bad_article")
    return HearingDetails(
        court=_text(court, "court", required=True),
        address=_text(address, "address"),
        judge=_text(judge, "judge"),
        article=kept,
    )


def _checked_time(starts_at) -> datetime:
    if not isinstance(starts_at, datetime):
        raise CourtRefused("bad_hearing_time")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    now = timezone.now()
    if starts_at < now - timedelta(days=PAST_DAYS):
        raise CourtRefused("hearing_too_old", days=PAST_DAYS)
    if starts_at > now + timedelta(days=AHEAD_DAYS):
        raise CourtRefused("hearing_too_far", days=AHEAD_DAYS)
    return starts_at


def _local_moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def record_hearing(
    case: Case, *, starts_at, court, address="", judge="", article="", by
) -> Hearing:
    """A lawyer records when and where the person's case will be heard; its lawyer is
    reminded the evening before."""
    from .tasks import remind_hearing

    starts_at = _checked_time(starts_at)
    details = _details(court, address, judge, article)
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.is_closed:
            raise CourtRefused("case_not_open")
        hearing = Hearing.objects.create(
            case=case,
            starts_at=starts_at,
            sealed=sealing.seal(details.__dict__, PURPOSE),
            created_by=by,
        )
        cases.record_event(
            case,
            EventKind.HEARING,
            actor=by,
            data={"hearing": hearing.pk, "at": starts_at.isoformat()},
        )
        evening = _local_moment(timezone.localdate(starts_at) - timedelta(days=1), EVENING)
        if evening > timezone.now():
            remind_hearing.using(run_after=evening).enqueue(hearing.pk)
        audit.record(by, "change", case.public_id, "hearing recorded")
    return hearing


def _amount(value, field: str, maximum: int) -> int:
    if value in (None, ""):
        raise CourtRefused("amount_required", field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CourtRefused("amount_out_of_range", field=field, max=maximum) from None
    if not 1 <= number <= maximum:
        raise CourtRefused("amount_out_of_range", field=field, max=maximum)
    return number


def record_decision(
    hearing: Hearing,
    *,
    outcome: str,
    copy_received_on,
    fine_rub=None,
    arrest_days=None,
    work_hours=None,
    by,
) -> Decision:
    """A lawyer records what the court decided and when its copy came; Habeas computes the
    appeal deadline (and an arrest's last day) and reminds the lawyer 3 days and 1 day
    before the deadline."""
    from .tasks import remind_deadline

    if outcome not in Outcome.values:
        raise CourtRefused("bad_outcome")
    if not isinstance(copy_received_on, date) or isinstance(copy_received_on, datetime):
        raise CourtRefused("bad_copy_date")
    if copy_received_on < timezone.localdate(hearing.starts_at):
        raise CourtRefused("copy_before_hearing")
    if copy_received_on > timezone.localdate():
        raise CourtRefused("copy_in_future")
    amounts = {
        "fine_rub": _amount(fine_rub, "fine_rub", FINE_MAX) if outcome == Outcome.FINE else None,
        "arrest_days": (
            _amount(arrest_days, "arrest_days", ARREST_MAX) if outcome == Outcome.ARREST else None
        ),
        "work_hours": (
            _amount(work_hours, "work_hours", WORK_MAX)
            if outcome == Outcome.COMPULSORY_WORK
            else None
        ),
    }
    deadline = deadlines.appeal_deadline(copy_received_on)
    with transaction.atomic(durable=True):
        hearing = Hearing.objects.select_for_update().select_related("case").get(pk=hearing.pk)
        if Decision.objects.filter(hearing=hearing).exists():
            raise CourtRefused("already_decided")
        decided_on = timezone.localdate(hearing.starts_at)
        decision = Decision.objects.create(
            hearing=hearing,
            outcome=outcome,
            copy_received_on=copy_received_on,
            appeal_deadline=deadline,
            arrest_ends_on=(
                deadlines.arrest_ends(decided_on, amounts["arrest_days"])
                if amounts["arrest_days"]
                else None
            ),
            created_by=by,
            **amounts,
        )
        cases.record_event(
            hearing.case,
            EventKind.DECISION,
            actor=by,
            data={"hearing": hearing.pk, "outcome": outcome, "appeal_by": deadline.isoformat()},
        )
        for days in (3, 1):
            when = _local_moment(deadline - timedelta(days=days), MORNING)
            if when > timezone.now():
                remind_deadline.using(run_after=when).enqueue(decision.pk, days)
        audit.record(by, "change", hearing.case.public_id, "decision recorded")
    return decision


def details_of(hearing: Hearing) -> HearingDetails:
    """Open a hearing's sealed details (for staff who may see the case's details)."""
    if not hearing.sealed:
        return HearingDetails(court="")
    return HearingDetails(**sealing.open_sealed(bytes(hearing.sealed), PURPOSE))


def of_case(case: Case) -> list[Hearing]:
    return list(case.hearings.select_related("decision").order_by("starts_at", "pk"))


def next_hearing(case: Case) -> Hearing | None:
    """The next hearing not yet decided, from today on."""
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return (
        case.hearings.filter(starts_at__gte=today, decision__isnull=True)
        .order_by("starts_at")
        .first()
    )


def latest_decision(case: Case) -> Decision | None:
    return Decision.objects.filter(hearing__case=case).order_by("-hearing__starts_at").first()


def upcoming(user) -> tuple[list[Hearing], list[Decision]]:
    """Hearings from today and appeal deadlines not yet past, soonest first: a lawyer's own
    cases, or every case for a dispatcher."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    hearings = Hearing.objects.filter(starts_at__gte=start, decision__isnull=True)
    decided = Decision.objects.filter(appeal_deadline__gte=today)
    if not user.is_dispatcher:
        hearings = hearings.filter(case__assigned_lawyer=user)
        decided = decided.filter(hearing__case__assigned_lawyer=user)
    hearings = hearings.select_related("case").order_by("starts_at")
    decided = decided.select_related("hearing__case").order_by("appeal_deadline")
    return list(hearings[:500]), list(decided[:500])


def forget_hearings(sender, case_id: int, **kwargs) -> None:
    """With a case's personal data go its hearings and decisions: court, time and article
    would name the person through the court's public calendar. The case's outcome stays."""
    Hearing.objects.filter(case_id=case_id).delete()


def due_reminder(decision_id: int) -> Decision | None:
    """The decision a deadline reminder is about, if its case still has a lawyer."""
    return (
        Decision.objects.select_related("hearing__case__assigned_lawyer")
        .filter(pk=decision_id)
        .filter(~Q(hearing__case__assigned_lawyer=None))
        .first()
    )
