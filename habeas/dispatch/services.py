"""Dispatch: take in an SOS, offer the case to the best lawyer, escalate when nobody answers.

Every write happens in one transaction with the events and outbox rows it causes. Rows are
locked in a fixed order (case, then lawyer) so that two workers can neither offer one case to
two lawyers nor push a lawyer over capacity; on PostgreSQL a locked row is skipped, not waited
for, so one busy case never stalls the others.
"""

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from habeas.accounts.models import Role, User
from habeas.cases import services as cases
from habeas.cases.models import Case, EventKind, Status
from habeas.lawyers.models import Lawyer

from . import messages, policy
from .models import Offer, OfferState

log = logging.getLogger(__name__)


class OfferError(Exception):
    """The offer cannot be answered: not yours, already answered, or ran out."""


def receive_sos(intake: cases.Intake, *, idempotency_key: str) -> cases.Opened:
    """Open the case (once per key), tell trusted contacts and start dispatch, atomically."""
    from .tasks import dispatch_case

    with transaction.atomic():
        opened = cases.open_case(intake, idempotency_key=idempotency_key)
        if opened.created:
            messages.tell_contacts(opened.case, intake, idempotency_key)
            dispatch_case.enqueue(opened.case.pk)
    return opened


def receive_for_dispatchers(intake: cases.Intake, *, idempotency_key: str) -> cases.Opened:
    """Open a case that a person must read first (free-text SMS): flag it, offer nobody."""
    with transaction.atomic():
        opened = cases.open_case(intake, idempotency_key=idempotency_key)
        if opened.created:
            _escalate(opened.case)
    return opened


def case_info(case: Case) -> policy.CaseInfo:
    """The policy's view of a case: priority, age and where it is (never who)."""
    station = case.police_station or case.near_station
    if case.police_station is not None:
        lat, lon = station.lat, station.lon
    else:
        lat, lon = case.lat_coarse, case.lon_coarse
    return policy.CaseInfo(
        id=case.pk,
        priority=case.priority,
        created_at=case.created_at.timestamp(),
        lat=lat,
        lon=lon,
        station_ids=frozenset({station.pk}) if station else frozenset(),
    )


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]


def _open_work(user_ids) -> tuple[Counter, dict[int, set[int]]]:
    """Each lawyer's load (assigned open cases plus pending offers) and the stations of that
    work (held at, else nearest), from the open cases and pending offers alone.

    Counting through a join of the user multiplied every case a lawyer ever had by every
    offer they ever got: seconds per dispatch once a year of closed cases piles up
    (docs/benchmarks.md). `status IN (the open ones)` reads open cases from the queue index
    rather than each lawyer's whole history.
    """
    held = Case.objects.filter(status__in=OPEN_STATUSES, assigned_lawyer_id__in=user_ids)
    rows = list(held.values_list("assigned_lawyer_id", "police_station_id", "near_station_id"))
    offered = Offer.objects.pending().filter(lawyer_id__in=user_ids)
    rows += offered.values_list("lawyer_id", "case__police_station_id", "case__near_station_id")
    loads: Counter = Counter()
    where: dict[int, set[int]] = {}
    for user_id, held_at, near in rows:
        loads[user_id] += 1
        if station := held_at or near:
            where.setdefault(user_id, set()).add(station)
    return loads, where


def lawyer_infos(user_ids=None) -> list[policy.LawyerInfo]:
    """On-duty lawyers with their load: assigned open cases plus pending offers.

    Plain rows, not model instances: this runs for every dispatch, over every lawyer on duty.
    """
    lawyers = Lawyer.objects.on_duty()
    if user_ids is not None:
        lawyers = lawyers.filter(user_id__in=user_ids)
    fields = ("id", "user_id", "capacity", "base_lat", "base_lon", "radius_km", "languages")
    rows = list(lawyers.values(*fields))
    stations: dict[int, set[int]] = {}
    through = Lawyer.stations.through.objects.filter(lawyer_id__in=[r["id"] for r in rows])
    for lawyer_id, station_id in through.values_list("lawyer_id", "policestation_id"):
        stations.setdefault(lawyer_id, set()).add(station_id)
    loads, holding = _open_work([r["user_id"] for r in rows])
    return [
        policy.LawyerInfo(
            id=r["user_id"],
            on_duty=True,
            load=loads[r["user_id"]],
            capacity=r["capacity"],
            station_ids=frozenset(stations.get(r["id"], ())),
            lat=r["base_lat"],
            lon=r["base_lon"],
            radius_m=r["radius_km"] * 1000 if r["radius_km"] else None,
            languages=frozenset(r["languages"].split(",")),
            holding_at=frozenset(holding.get(r["user_id"], ())),
        )
        for r in rows
    ]


def _lock_case(case_id: int) -> Case | None:
    # skip_locked: if another worker holds this case, it is dispatching it; leave it be.
    return Case.objects.select_for_update(skip_locked=True).filter(pk=case_id).first()


BUSY = object()  # another worker holds the lawyer's row right now


def _lock_lawyer_under_capacity(user_id: int):
    """Lock a lawyer's row and return the profile if they have room; BUSY if it is locked."""
    lawyer = (
        Lawyer.objects.select_for_update(skip_locked=True)
        .filter(user_id=user_id, on_duty=True)
        .first()
    )
    if lawyer is None:
        still_there = Lawyer.objects.filter(user_id=user_id, on_duty=True).exists()
        return BUSY if still_there else None
    load = (
        Case.objects.filter(assigned_lawyer_id=user_id).exclude(status=Status.CLOSED).count()
        + Offer.objects.pending().filter(lawyer_id=user_id).count()
    )
    return lawyer if load < lawyer.capacity else None


def offer_next(case_id: int) -> Offer | None:
    """Offer an unassigned case to the best free lawyer not yet tried.

    After HABEAS_OFFER_MAX_TRIES lawyers, or when nobody at all can take it, every dispatcher
    is alerted and the case is flagged; offers to untried lawyers go on meanwhile.
    """
    from .tasks import dispatch_case, expire_offer

    with transaction.atomic():
        case = _lock_case(case_id)
        if case is None or case.status != Status.OPEN or case.assigned_lawyer_id:
            return None
        if Offer.objects.pending().filter(case=case).exists():
            return None
        tried = frozenset(Offer.objects.filter(case=case).values_list("lawyer_id", flat=True))
        if len(tried) >= settings.HABEAS_OFFER_MAX_TRIES and case.escalated_at is None:
            _escalate(case)
        contended = False
        for candidate in policy.rank(case_info(case), lawyer_infos(), excluded=tried):
            lawyer = _lock_lawyer_under_capacity(candidate.id)
            if lawyer is BUSY:
                contended = True
                continue
            if lawyer is None:
                continue
            offer = Offer.objects.create(
                case=case,
                lawyer=lawyer.user,
                attempt=len(tried) + 1,
                expires_at=timezone.now() + timedelta(seconds=settings.HABEAS_OFFER_SECONDS),
            )
            cases.record_event(case, EventKind.OFFERED, data={"lawyer": lawyer.user_id})
            messages.tell_lawyer_of_offer(offer, lawyer)
            expire_offer.using(run_after=offer.expires_at).enqueue(offer.pk)
            log.info("case %s offered (try %s)", case.public_id, offer.attempt)
            return offer
        if contended:
            # Someone with room was being offered another case this very moment: look again
            # shortly instead of telling dispatchers that nobody is free.
            dispatch_case.using(run_after=timezone.now() + timedelta(seconds=1)).enqueue(case.pk)
            return None
        if case.escalated_at is None:
            _escalate(case)
        return None


def _escalate(case: Case) -> None:
    cases.escalate(case)
    messages.alert_dispatchers(case)
    log.info("case %s escalated to dispatchers", case.public_id)


def _decide(offer_id: int, user, state: str) -> Offer:
    offer = Offer.objects.select_for_update().select_related("case").get(pk=offer_id)
    if user is not None and offer.lawyer_id != user.pk:
        raise OfferError("this offer is not yours")
    if offer.state != OfferState.PENDING:
        raise OfferError("this offer was already answered or ran out")
    if state == OfferState.ACCEPTED and offer.expires_at < timezone.now():
        raise OfferError("this offer ran out")
    offer.state = state
    offer.decided_at = timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    return offer


def accept(offer_id: int, user) -> Case:
    """The offered lawyer takes the case."""
    with transaction.atomic():
        offer = _decide(offer_id, user, OfferState.ACCEPTED)
        try:
            return cases.transition(offer.case_id, "take", actor=user)
        except cases.TransitionError as exc:
            raise OfferError(str(exc)) from exc


def decline(offer_id: int, user) -> Offer:
    """The offered lawyer passes; the next lawyer is tried at once."""
    from .tasks import dispatch_case

    with transaction.atomic():
        offer = _decide(offer_id, user, OfferState.DECLINED)
        cases.record_event(offer.case, EventKind.OFFER_DECLINED, data={"lawyer": user.pk})
        dispatch_case.enqueue(offer.case_id)
    return offer


def expire(offer_id: int) -> Offer | None:
    """Let an unanswered offer run out and try the next lawyer (run at its deadline)."""
    from .tasks import dispatch_case

    with transaction.atomic():
        offer = Offer.objects.select_for_update().select_related("case").get(pk=offer_id)
        if offer.state != OfferState.PENDING or offer.expires_at > timezone.now():
            return None
        offer.state = OfferState.EXPIRED
        offer.decided_at = timezone.now()
        offer.save(update_fields=["state", "decided_at"])
        cases.record_event(offer.case, EventKind.OFFER_EXPIRED, data={"lawyer": offer.lawyer_id})
        dispatch_case.enqueue(offer.case_id)
    return offer


def withdraw_offers(case_id: int) -> None:
    """Cancel open offers of a case that was taken, assigned or closed another way."""
    Offer.objects.pending().filter(case_id=case_id).update(
        state=OfferState.CANCELLED, decided_at=timezone.now()
    )


def assign(case_id: int, lawyer_user: User, dispatcher: User) -> Case:
    """A dispatcher assigns a case by hand, overriding the queue of offers."""
    with transaction.atomic():
        withdraw_offers(case_id)
        return cases.transition(case_id, "assign", actor=dispatcher, lawyer=lawyer_user)


def act(case: Case, action_name: str, actor: User, *, lawyer: User | None = None, **kwargs) -> Case:
    """Run a staff action on a case, keeping the offers consistent with it.

    Taking a case answers the taker's own pending offer; any step that moves the case on
    cancels offers still waiting, so nobody is later asked to accept a case already taken;
    closing a case frees its lawyer for the next waiting one.
    """
    if action_name == "assign":
        return assign(case.pk, lawyer, actor)
    with transaction.atomic():
        if action_name == "take":
            mine = Offer.objects.pending().filter(case=case, lawyer=actor).first()
            if mine is not None and mine.expires_at > timezone.now():
                return accept(mine.pk, actor)
        done = cases.transition(case.pk, action_name, actor=actor, **kwargs)
        if done.status != Status.OPEN:
            withdraw_offers(case.pk)
        if done.status == Status.CLOSED and case.assigned_lawyer_id:
            capacity_freed()
    return done


def waiting_cases() -> list[int]:
    """Open, unassigned cases without a pending offer, in dispatch order."""
    open_cases = (
        Case.objects.filter(status=Status.OPEN, assigned_lawyer__isnull=True)
        .exclude(offers__state=OfferState.PENDING)
        .only("id", "priority", "created_at")
    )
    infos = [
        policy.CaseInfo(id=c.pk, priority=c.priority, created_at=c.created_at.timestamp())
        for c in open_cases
    ]
    return [c.id for c in policy.triage(infos)]


def capacity_freed() -> None:
    """Someone came on duty or finished a case: offer waiting cases again (in a task)."""
    from .tasks import dispatch_waiting

    dispatch_waiting.enqueue()


def may_see_details(user: User, case: Case) -> bool:
    """Whether this member of staff may open the case's personal data now.

    Dispatchers and admins: yes. A lawyer: only while the case is offered to or assigned to
    them, so a stolen lawyer account shows little.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_dispatcher:
        return True
    if case.assigned_lawyer_id == user.pk:
        return True
    return Offer.objects.pending().filter(case=case, lawyer=user).exists()


def dispatchers() -> list[User]:
    return list(User.objects.filter(is_active=True, role__in=[Role.DISPATCHER, Role.ADMIN]))
