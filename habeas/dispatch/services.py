"""Dispatch: take in an SOS, offer the case to the best lawyer, escalate when nobody answers.

This module holds the one entrance of every case-changing verb that surfaces call:
receive_sos, receive_for_dispatchers, accept, decline, act (staff actions, assign among
them), take_all_at_station and assign_many (several cases at once), withdraw, forget, and
merge and split (one person, one case). Each keeps offers and capacity consistent with the
case, writes its own audit entry and runs in a durable transaction, so it commits on its own
and no caller can fold it into a larger one that later rolls back. The writers in
habeas.cases.services serve these entrances only.

Every write happens in one transaction with the events and outbox rows it causes. Rows are
locked so that two workers can neither offer one case to two lawyers nor push a lawyer over
capacity: a worker offering locks the case, then the lawyer, and on PostgreSQL skips a locked
row instead of waiting for it, so one busy case never stalls the others; a lawyer's own
takes, and a dispatcher's batch, lock the lawyer first and wait for each case, which cannot
deadlock with a worker that never waits for a lawyer.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from habeas.accounts import audit, staff
from habeas.accounts.models import AuditEntry, Role, User
from habeas.cases import merging
from habeas.cases import services as cases
from habeas.cases.models import Case, EventKind, Report, ReporterRole, Status
from habeas.lawyers.models import Lawyer
from habeas.lib.refusals import Refusal
from habeas.stations.models import PoliceStation

from . import messages, policy
from .load import load_of, open_work
from .models import Offer, OfferState

log = logging.getLogger(__name__)


class OfferError(Refusal):
    """The offer cannot be answered: not_yours, already_answered, or ran_out."""

    CODES = frozenset({"not_yours", "already_answered", "ran_out"})


class TakeRefused(Refusal):
    """A lawyer may not take this case by themselves: offered_to_another (params lawyer),
    not_on_duty, or over_capacity (params capacity); nor a station's cases at once:
    held_elsewhere (params station), lawyers_only."""

    CODES = frozenset(
        {"offered_to_another", "not_on_duty", "over_capacity", "held_elsewhere", "lawyers_only"}
    )


# Taking cases by oneself this often alerts dispatchers (a stolen account reads one person's
# details after another); offers accepted are the normal way and do not count.
TAKES_ALERT_COUNT = 3
TAKES_ALERT_MINUTES = 15


def receive_sos(
    intake: cases.Intake, *, idempotency_key: str = "", reference: str = ""
) -> cases.Opened:
    """Open the case (once per key), tell trusted contacts and start dispatch, atomically.

    An SOS by SMS gives only the `reference` its text carries; see cases.open_case.
    """
    with transaction.atomic(durable=True):
        return open_sos(intake, idempotency_key=idempotency_key, reference=reference)


def open_sos(
    intake: cases.Intake, *, idempotency_key: str = "", reference: str = ""
) -> cases.Opened:
    """receive_sos inside the caller's transaction, for a verb that opens an SOS as one of
    its steps (a check-in timer firing), so that both commit or neither does."""
    from .tasks import dispatch_case

    with transaction.atomic():
        opened = cases.open_case(intake, idempotency_key=idempotency_key, reference=reference)
        # A report that joined its person's case is not dispatched again: one offer per person.
        if opened.created and not opened.merged:
            dispatch_case.enqueue(opened.case.pk)
        # Contacts are named by the app, never by an SMS; an SOS whose SMS arrived first
        # tells them once the app's retry proves it is the same phone.
        if (opened.created or opened.claimed) and idempotency_key:
            messages.tell_contacts(opened.case, intake, idempotency_key)
    return opened


def receive_call(intake: cases.Intake, *, idempotency_key: str, operator: User) -> cases.Opened:
    """A hotline operator enters a phone call: the SOS's intake, audited as their change."""
    with transaction.atomic(durable=True):
        opened = open_sos(intake, idempotency_key=idempotency_key)
        new_case = opened.created and not opened.merged  # a merged call joined a case
        what = "case entered from a call" if new_case else "call added to a case"
        audit.record(operator, "change", opened.case.public_id, what)
    return opened


def receive_for_dispatchers(intake: cases.Intake, *, idempotency_key: str) -> cases.Opened:
    """Open a case that a person must read first (free-text SMS): flag it, offer nobody."""
    with transaction.atomic(durable=True):
        opened = cases.open_case(intake, idempotency_key=idempotency_key)
        if opened.created and not opened.merged:
            _escalate(opened.case)
    return opened


def case_info(case: Case) -> policy.CaseInfo:
    """The policy's view of a case: priority, age and where it is (never who)."""
    station = case.place
    if case.place_is_known:
        lat, lon = station.lat, station.lon
    else:
        lat, lon = case.lat_coarse, case.lon_coarse
    city_stations = ()
    if station is None and lat is None and case.city:
        city_stations = tuple(
            PoliceStation.objects.filter(city=case.city).values_list("pk", "lat", "lon")
        )
    return policy.CaseInfo(
        id=case.pk,
        priority=case.priority,
        created_at=case.created_at.timestamp(),
        lat=lat,
        lon=lon,
        station_ids=frozenset({station.pk}) if station else frozenset(),
        city=case.city,
        city_stations=city_stations,
    )


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
    work = open_work([r["user_id"] for r in rows])
    return [
        policy.LawyerInfo(
            id=r["user_id"],
            on_duty=True,
            load=work.loads[r["user_id"]],
            capacity=r["capacity"],
            station_ids=frozenset(stations.get(r["id"], ())),
            lat=r["base_lat"],
            lon=r["base_lon"],
            radius_m=r["radius_km"] * 1000 if r["radius_km"] else None,
            languages=frozenset(r["languages"].split(",")),
            holding_at=frozenset(work.where.get(r["user_id"], ())),
            active=work.active[r["user_id"]],
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
    return lawyer if load_of(user_id) < lawyer.capacity else None


def _waited_enough(case: Case) -> bool:
    waited = timezone.now() - case.created_at
    return waited >= timedelta(minutes=settings.HABEAS_ESCALATE_AFTER_MINUTES)


def escalation_due_at(case: Case):
    """When an unaccepted case is escalated although lawyers are still being tried."""
    return case.created_at + timedelta(minutes=settings.HABEAS_ESCALATE_AFTER_MINUTES)


def offer_lasts(case: Case) -> timedelta:
    """How long a lawyer has to answer: minutes for an SOS, hours for a request."""
    if case.is_request:
        return timedelta(hours=settings.HABEAS_REQUEST_OFFER_HOURS)
    return timedelta(seconds=settings.HABEAS_OFFER_SECONDS)


def offer_next(case_id: int) -> Offer | None:
    """Offer an unassigned case to the best free lawyer not yet tried.

    The case is escalated (flagged, and in the dispatchers' next digest) after
    HABEAS_OFFER_MAX_TRIES lawyers, or once it has waited HABEAS_ESCALATE_AFTER_MINUTES
    without an acceptance; offers to untried lawyers go on meanwhile. When nobody is free it
    is not escalated at once: lawyers free up within minutes on a busy day, and every instant
    escalation was a message to every dispatcher (300 cases, 601 emails). A check is
    scheduled for the moment it will have waited long enough.
    """
    from .tasks import dispatch_case, enqueue_once, escalate_if_waiting, expire_offer

    with transaction.atomic():
        case = _lock_case(case_id)
        if case is None or case.status != Status.OPEN or case.assigned_lawyer_id:
            return None
        if case.escalated_at is None and not case.is_request:
            if _waited_enough(case):
                _escalate(case, at_once=False)
            else:
                # Once per case: dispatch runs for every waiting case whenever a lawyer
                # frees up, and each run would otherwise add another row.
                enqueue_once(escalate_if_waiting, escalation_due_at(case), case.pk)
        if Offer.objects.pending().filter(case=case).exists():
            return None
        info = case_info(case)
        if not info.placed and not info.city:
            # No place and no city: no lawyer can be chosen, so dispatchers are told now
            # rather than after the wait (the next digest; one message for many such cases).
            if case.escalated_at is None:
                _escalate(case, at_once=False)
            return None
        tried = frozenset(Offer.objects.filter(case=case).values_list("lawyer_id", flat=True))
        if len(tried) >= settings.HABEAS_OFFER_MAX_TRIES and case.escalated_at is None:
            _escalate(case, at_once=False)
        contended = False
        for candidate in policy.rank(info, lawyer_infos(), excluded=tried):
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
                expires_at=timezone.now() + offer_lasts(case),
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


def escalate_if_waiting(case_id: int) -> bool:
    """Escalate a case still waiting for an acceptance once it has waited long enough (run
    at that moment, scheduled by offer_next; never for a request). Returns whether it was
    escalated now."""
    with transaction.atomic(durable=True):
        # Waits for a worker dispatching it (no skip_locked): this check runs only once.
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.status != Status.OPEN or case.assigned_lawyer_id:
            return False
        if case.escalated_at is not None or case.is_request or not _waited_enough(case):
            return False
        _escalate(case, at_once=False)
    return True


def flag_for_dispatchers(case: Case) -> None:
    """Alert every dispatcher to a case a person must look at (an orchestrator's anomaly)."""
    _escalate(case)


def _escalate(case: Case, *, at_once: bool = True) -> None:
    """Flag the case for dispatchers. `at_once`: a message about this case now (an anomaly,
    a free-text SMS a person must read); otherwise the case joins the next digest."""
    cases.escalate(case)
    case.escalated_at = timezone.now()
    messages.alert_dispatchers(case, at_once=at_once)
    log.info("case %s escalated to dispatchers", case.public_id)


def _decide(offer_id: int, user, state: str) -> Offer:
    offer = Offer.objects.select_for_update().select_related("case").get(pk=offer_id)
    if user is not None and offer.lawyer_id != user.pk:
        raise OfferError("not_yours")
    if offer.state != OfferState.PENDING:
        raise OfferError("already_answered")
    if state == OfferState.ACCEPTED and offer.expires_at < timezone.now():
        raise OfferError("ran_out")
    offer.state = state
    offer.decided_at = timezone.now()
    offer.save(update_fields=["state", "decided_at"])
    return offer


def _accept(offer_id: int, user) -> Case:
    offer = _decide(offer_id, user, OfferState.ACCEPTED)
    case = cases.transition(offer.case_id, "take", actor=user)
    audit.record(user, "change", case.public_id, "accept offer")
    schedule_request_reminder(case)
    return case


def accept(offer_id: int, user) -> Case:
    """The offered lawyer takes the case. Raises OfferError, or TransitionError when the case
    moved on meanwhile (taken by a dispatcher's assignment, withdrawn)."""
    with transaction.atomic(durable=True):
        return _accept(offer_id, user)


def decline(offer_id: int, user) -> Offer:
    """The offered lawyer passes; the next lawyer is tried at once."""
    from .tasks import dispatch_case

    with transaction.atomic(durable=True):
        offer = _decide(offer_id, user, OfferState.DECLINED)
        cases.record_event(offer.case, EventKind.OFFER_DECLINED, data={"lawyer": user.pk})
        dispatch_case.enqueue(offer.case_id)
        audit.record(user, "change", offer.case.public_id, "decline offer")
    return offer


def expire(offer_id: int) -> Offer | None:
    """Let an unanswered offer run out and try the next lawyer (run at its deadline)."""
    from .tasks import dispatch_case

    with transaction.atomic(durable=True):
        offer = Offer.objects.select_for_update().select_related("case").get(pk=offer_id)
        if offer.state != OfferState.PENDING or offer.expires_at > timezone.now():
            return None
        offer.state = OfferState.EXPIRED
        offer.decided_at = timezone.now()
        offer.save(update_fields=["state", "decided_at"])
        cases.record_event(offer.case, EventKind.OFFER_EXPIRED, data={"lawyer": offer.lawyer_id})
        dispatch_case.enqueue(offer.case_id)
    return offer


def _cancel_offers(case_id: int) -> int:
    """Cancel open offers of a case that was taken, assigned or closed another way."""
    return (
        Offer.objects.pending()
        .filter(case_id=case_id)
        .update(state=OfferState.CANCELLED, decided_at=timezone.now())
    )


# When a request's lawyer is reminded of its day: the evening before, as for a hearing.
REMINDER_EVENING = time(18, 0)


def schedule_request_reminder(case: Case) -> None:
    """Once a lawyer has a request with a day, remind them the evening before (nothing when
    that evening is past: they took it knowing)."""
    from .tasks import enqueue_once, remind_request

    if not case.is_request or case.due_at is None or case.assigned_lawyer_id is None:
        return
    eve = timezone.localdate(case.due_at) - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(eve, REMINDER_EVENING))
    if at > timezone.now():
        enqueue_once(remind_request, at, case.pk, case.due_at.isoformat())


def remind_of_request(case_id: int, due_at: str) -> str:
    """Remind the request's lawyer and its person of its day, if it is still the lawyer's,
    open and on that day."""
    case = Case.objects.select_related("assigned_lawyer").filter(pk=case_id).first()
    if case is None or case.is_closed or case.assigned_lawyer is None:
        return "nothing to remind"
    if case.due_at is None or case.due_at.isoformat() != due_at:
        return "the day moved"
    messages.remind_lawyer_of_request(case, f"request-eve:{case.pk}:{due_at}")
    # The person too: "tomorrow at 10:30, your lawyer X" (issue 17: both are reminded).
    messages.remind_person_of_request(case, due_at)
    return "reminded"


def _after(before: Case, done: Case) -> None:
    """Keep offers and capacity in step with a case that moved: nobody is later asked to
    accept a case already taken or closed, and a lawyer whose offer was cancelled, or whose
    case closed, is free for the next waiting case at once; a request's new lawyer is to be
    reminded of its day."""
    if done.assigned_lawyer_id not in (None, before.assigned_lawyer_id):
        schedule_request_reminder(done)
    cancelled = _cancel_offers(done.pk) if done.status != Status.OPEN else 0
    handed_on = before.assigned_lawyer_id not in (None, done.assigned_lawyer_id)
    if cancelled or handed_on or (done.status == Status.CLOSED and before.assigned_lawyer_id):
        capacity_freed()


def act(case: Case, action_name: str, actor: User, *, lawyer: User | None = None, **kwargs) -> Case:
    """Run a staff action on a case (the console's one entrance), keeping offers consistent.

    Taking a case answers the taker's own pending offer; "assign" is a dispatcher's
    override of the queue of offers. Raises TransitionError or OfferError.
    """
    with transaction.atomic(durable=True):
        if action_name == "take":
            mine = Offer.objects.pending().filter(case=case, lawyer=actor).first()
            if mine is not None and mine.expires_at > timezone.now():
                return _accept(mine.pk, actor)
            if (refused := take_refusal(case, actor, lock=True)) is not None:
                raise refused
        if action_name in ("assign", "reassign"):
            _cancel_offers(case.pk)
            kwargs["lawyer"] = lawyer
        done = cases.transition(case.pk, action_name, actor=actor, **kwargs)
        _after(case, done)
        messages.tell_followers(done)
        audit.record(actor, "change", done.public_id, action_name)
        if action_name == "take" and not actor.is_dispatcher:
            _watch_takes(actor)
    return done


def take_refusal(case: Case, user: User, *, lock: bool = False) -> TakeRefused | None:
    """Why this lawyer may not take the case by themselves now, or None.

    A lawyer takes a case only as dispatch would have offered it to them: on duty, within
    capacity, and not while it waits for another lawyer's answer. A stolen lawyer account
    could otherwise take every open case in turn and read each person's name, phone and
    exact location. Dispatchers may always take (they see every case anyway).
    """
    if user.is_dispatcher:
        return None
    other = Offer.objects.pending().filter(case=case).exclude(lawyer=user).first()
    if other is not None:
        return TakeRefused("offered_to_another", lawyer=str(other.lawyer))
    lawyers = Lawyer.objects.select_for_update() if lock else Lawyer.objects
    lawyer = lawyers.filter(user=user).first()
    if lawyer is None or not lawyer.on_duty:
        return TakeRefused("not_on_duty")
    if load_of(user.pk) >= lawyer.capacity:
        return TakeRefused("over_capacity", capacity=lawyer.capacity)
    return None


def _watch_takes(user: User) -> None:
    since = timezone.now() - timedelta(minutes=TAKES_ALERT_MINUTES)
    taken = AuditEntry.objects.filter(
        actor=user, action="change", what="take", at__gte=since
    ).count()
    if taken >= TAKES_ALERT_COUNT:
        messages.alert_dispatchers_of_takes(user, taken, TAKES_ALERT_MINUTES)
        log.warning("an account took %s cases by itself in %s min", taken, TAKES_ALERT_MINUTES)


# --- several cases at once (the station board, the queue's "assign several") -------------


@dataclass
class Batch:
    """What a verb over several cases did: the cases it changed (most urgent first), each
    case it left with the refusal that says why, and what stopped it early, if anything."""

    done: list[Case] = field(default_factory=list)
    refused: dict[str, Refusal] = field(default_factory=dict)  # by the case's public id
    stopped: Refusal | None = None
    left: int = 0  # cases not tried once it stopped


class AssignRefused(Refusal):
    """A dispatcher's batch cannot give more cases to this lawyer: lawyer_full (params
    lawyer, capacity)."""

    CODES = frozenset({"lawyer_full"})


def _take_one(case: Case, lawyer: User) -> Case:
    """One case of take_all_at_station, taken exactly as `act(case, "take", lawyer)` takes
    it, inside the batch's transaction: the lawyer's own offer is accepted, otherwise the
    single take's rules apply. Raises TakeRefused, TransitionError or OfferError."""
    mine = Offer.objects.pending().filter(case=case, lawyer=lawyer).first()
    if mine is not None and mine.expires_at > timezone.now():
        return _accept(mine.pk, lawyer)
    if (refused := take_refusal(case, lawyer)) is not None:
        raise refused
    done = cases.transition(case.pk, "take", actor=lawyer)
    audit.record(lawyer, "change", done.public_id, "take")
    schedule_request_reminder(done)
    return done


def take_all_at_station(lawyer: User, station: PoliceStation) -> Batch:
    """A lawyer at a police station takes the cases waiting there (held there, or nearest
    where nobody knows yet), the most urgent first as dispatch offers them, until their
    capacity is reached. Each case is taken by the single take's rules and audited as one;
    one durable transaction, with the lawyer's row locked first as a single take locks it,
    so no offer or other take pushes them over capacity meanwhile.

    A case that cannot be taken (waiting for another lawyer's answer, taken meanwhile) is
    left and named in `refused`; reaching capacity stops the batch (`stopped`, `left`).
    Raises TakeRefused when nothing may be taken at all: lawyers_only, not_on_duty,
    held_elsewhere (params station: "one place at a time"), over_capacity.
    """
    if not lawyer.is_lawyer:
        raise TakeRefused("lawyers_only")
    batch = Batch()
    freed = False
    with transaction.atomic(durable=True):
        profile = Lawyer.objects.select_for_update().filter(user=lawyer).first()
        if profile is None or not profile.on_duty or not lawyer.is_active:
            raise TakeRefused("not_on_duty")
        # Dispatch offers a lawyer tied to one station nothing elsewhere; taking a whole
        # station elsewhere by hand would break the same rule.
        elsewhere = open_work([lawyer.pk]).where.get(lawyer.pk, set()) - {station.pk}
        if elsewhere:
            there = PoliceStation.objects.filter(pk__in=elsewhere).order_by("name").first()
            raise TakeRefused("held_elsewhere", station=there.name if there else "?")
        waiting = list(
            Case.objects.triage().unassigned().filter(status=Status.OPEN).at_place(station)
        )
        for n, case in enumerate(waiting):
            try:
                # A savepoint per case: a refusal halfway (an offer answered, then the case
                # found taken) undoes that case's writes and nothing else.
                with transaction.atomic():
                    done = _take_one(case, lawyer)
                    freed |= bool(_cancel_offers(done.pk))
            except TakeRefused as exc:
                if exc.code != "over_capacity":
                    batch.refused[case.public_id] = exc
                    continue
                if not batch.done:
                    raise
                batch.stopped, batch.left = exc, len(waiting) - n
                break
            except (cases.TransitionError, OfferError) as exc:
                batch.refused[case.public_id] = exc
                continue
            messages.tell_followers(done)
            batch.done.append(done)
        if freed:
            # Another lawyer's offer on a case taken here was cancelled: they are free now.
            capacity_freed()
        if batch.done:
            _watch_takes(lawyer)
    log.info("take all at station %s: %s taken", station.pk, len(batch.done))
    return batch


def assign_many(actor: User, chosen: list[Case], lawyer: User) -> Batch:
    """A dispatcher gives several cases to one lawyer at once, each exactly as the single
    "assign" gives one (its pending offers cancelled, its event, its audit entry), the most
    urgent first, in one durable transaction with the lawyer's row locked.

    Unlike the single assign, a dispatcher's deliberate override, a batch stops at the
    lawyer's capacity (`stopped` is AssignRefused "lawyer_full"): a slip of the checkboxes
    must not hand one lawyer twenty people. A case that cannot be assigned (taken meanwhile,
    closed) is left and named in `refused`. Raises TransitionError dispatchers_only or
    lawyer_required.
    """
    if not actor.is_dispatcher:
        raise cases.TransitionError("dispatchers_only", action="assign")
    if lawyer is None or not lawyer.is_active or not lawyer.is_lawyer:
        raise cases.TransitionError("lawyer_required", action="assign")
    batch = Batch()
    freed = False
    with transaction.atomic(durable=True):
        profile = Lawyer.objects.select_for_update().filter(user=lawyer).first()
        capacity = profile.capacity if profile else Lawyer._meta.get_field("capacity").default
        # Closed ones too, so that each chosen case is either assigned or said why not.
        ids = [c.pk for c in chosen]
        ordered = list(Case.objects.filter(pk__in=ids).order_by("-priority", "created_at", "id"))
        for n, case in enumerate(ordered):
            # Counted again each time: cancelling the lawyer's own offer on a case frees
            # the place the assignment then takes.
            mine = Offer.objects.pending().filter(case=case, lawyer=lawyer).exists()
            if not mine and load_of(lawyer.pk) >= capacity:
                batch.stopped = AssignRefused("lawyer_full", lawyer=str(lawyer), capacity=capacity)
                batch.left = len(ordered) - n
                break
            try:
                with transaction.atomic():
                    freed |= bool(_cancel_offers(case.pk))
                    done = cases.transition(case.pk, "assign", actor=actor, lawyer=lawyer)
                    schedule_request_reminder(done)
            except cases.TransitionError as exc:
                batch.refused[case.public_id] = exc
                continue
            messages.tell_followers(done)
            audit.record(actor, "change", done.public_id, "assign")
            batch.done.append(done)
        if freed:
            capacity_freed()
    log.info("assigned %s cases at once", len(batch.done))
    return batch


def withdraw(report: Report) -> Case:
    """The person behind a status link calls the case off as a false alarm.

    Its pending offer is cancelled and an assigned lawyer freed at once, not when the offer
    would have run out. A relative or a witness may call off only a case nobody else
    reported: once others have reported the same person, one of them cannot stop the help
    (TransitionError "others_reported"). Raises TransitionError when the case is closed.
    """
    case = report.case
    with transaction.atomic(durable=True):
        if report.reporter_role != ReporterRole.SELF and (
            case.reports.exclude(pk=report.pk).exists()
        ):
            raise cases.TransitionError("others_reported", action="withdraw")
        # Locked first so the lawyer read here is the one the case still has when it closes.
        # (No join in the locking query: PostgreSQL cannot lock the nullable side of one.)
        before = Case.objects.select_for_update().get(pk=case.pk)
        lawyer = before.assigned_lawyer if before.assigned_lawyer_id else None
        facts = {"lawyer": lawyer.pk, "lawyer_stage": lawyer_stage(before)} if lawyer else {}
        done = cases.transition(case.pk, "withdraw", facts=facts)
        _after(before, done)
        if lawyer is not None:
            # A lawyer on the way must not spend an hour reaching a station for nobody; the
            # outbox row is written in this transaction, so the message cannot be lost.
            messages.tell_lawyer_of_withdrawal(done, lawyer)
        audit.record(None, "change", done.public_id, "withdrawn by the person")
    return done


# How far the lawyer had got, from the last of their steps on the case's timeline.
LAWYER_STEPS = {
    EventKind.ACCEPTED: "accepted",
    EventKind.LAWYER_EN_ROUTE: "en_route",
    EventKind.LAWYER_ARRIVED: "at_station",
    EventKind.ADMITTED: "at_station",
    EventKind.REFUSED_ENTRY: "at_station",
}


def lawyer_stage(case: Case) -> str:
    """ "accepted", "en_route" or "at_station": the assigned lawyer's last step on the case."""
    last = (
        case.events.filter(kind__in=list(LAWYER_STEPS))
        .order_by("-created_at", "-id")
        .values_list("kind", flat=True)
        .first()
    )
    return LAWYER_STEPS.get(last, "accepted")


def forget(report: Report) -> Case:
    """The person behind a status link destroys their details now; the case's bare facts
    remain for dispatch.

    The detained person's own link destroys every report's details (each names them); a
    relative's or a witness's destroys only their own report. A case with nothing left to
    identify the person is not withdrawn: the lawyer still goes to the station it names.
    """
    case = report.case
    with transaction.atomic(durable=True):
        if report.reporter_role == ReporterRole.SELF:
            cases.forget_details(case.pk)
            audit.record(None, "change", case.public_id, "details deleted by the person")
        else:
            cases.forget_report(report.pk)
            audit.record(None, "change", case.public_id, "a reporter deleted their report")
    return Case.objects.select_related("police_station").get(pk=case.pk)


def merge(into: Case, other: Case, actor: User) -> Case:
    """A dispatcher merges `other` into `into`: its reports (and their status links) move,
    it closes as merged, its pending offers are cancelled and its lawyer freed. Audited.

    Raises cases.merging.MergeError (dispatchers_only, same_case, case_closed).
    """
    if not actor.is_dispatcher:
        raise merging.MergeError("dispatchers_only")
    with transaction.atomic(durable=True):
        done, closed = merging.merge_cases(into.pk, other.pk, actor=actor)
        _after(closed, closed)
        audit.record(actor, "change", done.public_id, f"merge {closed.public_id}")
    return done


def split(case: Case, report_id: int, actor: User) -> Case:
    """A dispatcher moves one report out of `case` into a new case of its own, dispatched
    like a new SOS (a wrong merge undone). Audited; returns the new case.

    Raises cases.merging.MergeError (dispatchers_only, no_such_report, case_closed,
    last_report).
    """
    from .tasks import dispatch_case

    if not actor.is_dispatcher:
        raise merging.MergeError("dispatchers_only")
    with transaction.atomic(durable=True):
        _, new = merging.split_report(case.pk, report_id, actor=actor)
        dispatch_case.enqueue(new.pk)
        audit.record(actor, "change", case.public_id, f"split {new.public_id}")
    return new


@dataclass
class Departure:
    """What deactivating a member of staff did: sessions ended, offers passed on, cases
    flagged for dispatchers to give to another lawyer."""

    sessions: int
    offers: int
    cases: list[str]


def staff_left(user: User, actor: User) -> Departure:
    """Deactivate a member of staff (they left, or their phone is in police hands) and hand
    on their work: each pending offer goes to the next lawyer at once, and each open case
    they had is flagged for dispatchers, who give it to another lawyer ("reassign").

    Raises StaffRefused (accounts.staff) for the actor's own account or the last admin.
    """
    from .tasks import dispatch_case

    with transaction.atomic(durable=True):
        ended = staff.deactivate(user, by=actor)
        Lawyer.objects.filter(user=user).update(on_duty=False, on_duty_since=None)
        offers = list(Offer.objects.pending().filter(lawyer=user).select_related("case"))
        Offer.objects.filter(pk__in=[o.pk for o in offers]).update(
            state=OfferState.CANCELLED, decided_at=timezone.now()
        )
        for offer in offers:
            dispatch_case.enqueue(offer.case_id)
        held = list(Case.objects.open().filter(assigned_lawyer=user))
        for case in held:
            cases.record_event(case, EventKind.NOTE, actor=actor, data={"lawyer_left": user.pk})
            _escalate(case, at_once=False)
            audit.record(actor, "change", case.public_id, "lawyer deactivated")
    return Departure(ended, len(offers), [c.public_id for c in held])


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
