"""What the person and their family see of the court stage: the next hearing (when, which
court, where) and the decision (what came of it, the day to appeal by). Never the judge or
the article: the status link is passed on to people the person trusts, not to the world."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from habeas.cases.models import Case

from . import services
from .models import Decision, Outcome


@dataclass(frozen=True)
class PublicHearing:
    at: datetime
    court: str
    address: str


@dataclass(frozen=True)
class PublicDecision:
    outcome: str
    text: str  # "Fine: 15 000 roubles", in the reader's language
    appeal_by: date


@dataclass(frozen=True)
class PublicCourt:
    hearing: PublicHearing | None
    decision: PublicDecision | None


def decision_text(decision: Decision) -> str:
    """The decision in a line the person reads: the penalty with its size."""
    label = str(Outcome(decision.outcome).label)
    if decision.outcome == Outcome.FINE and decision.fine_rub:
        amount = formats.number_format(decision.fine_rub, force_grouping=True)
        return _("%(label)s: %(amount)s roubles") % {"label": label, "amount": amount}
    if decision.outcome == Outcome.ARREST and decision.arrest_days:
        days = ngettext("%(n)d day", "%(n)d days", decision.arrest_days) % {
            "n": decision.arrest_days
        }
        if decision.arrest_ends_on:
            until = formats.date_format(decision.arrest_ends_on, "j E")
            return _("%(label)s: %(days)s, until %(until)s") % {
                "label": label,
                "days": days,
                "until": until,
            }
        return f"{label}: {days}"
    if decision.outcome == Outcome.COMPULSORY_WORK and decision.work_hours:
        hours = ngettext("%(n)d hour", "%(n)d hours", decision.work_hours) % {
            "n": decision.work_hours
        }
        return f"{label}: {hours}"
    return label


def for_the_person(case: Case) -> PublicCourt | None:
    """The court stage as the status screen and the family's page show it, or None before
    any hearing is recorded (or once the details are destroyed, which takes the hearings)."""
    hearing = services.next_hearing(case)
    decision = services.latest_decision(case)
    if hearing is None and decision is None:
        return None
    shown = None
    if hearing is not None:
        details = services.details_of(hearing)
        shown = PublicHearing(hearing.starts_at, details.court, details.address)
    return PublicCourt(
        hearing=shown,
        decision=(
            PublicDecision(decision.outcome, decision_text(decision), decision.appeal_deadline)
            if decision is not None
            else None
        ),
    )
