"""The dispatch watchdog: a case whose dispatch was lost is dispatched again.

A `dispatch_case` task can be lost: its worker was killed mid-run, or the database went away
under it and the row could not record the end (django-tasks-db leaves it RUNNING and never
runs it again), or it failed outright (a deadlock). Nothing else would then offer that case
until some lawyer happened to free up (`dispatch_waiting`); the stack test found two such
cases in each run (docs/deploy.md, section 13). The same holds for an `expire_offer` lost at
an offer's deadline: its case would wait on an offer nobody can answer any more.

The workers call sweep() every few seconds, one worker at a time (habeas.ops.pulse). It looks
for what dispatch would do now and no task is queued to do:
- waiting cases (open, unassigned, no pending offer) that `policy.rank` would offer to a lawyer
  with room now, that no `dispatch_case` (nor a `dispatch_waiting`) waits in the queue for
  and none started in the last FRESH seconds is running for: `dispatch_case` is enqueued for
  each, most urgent first;
- pending offers past their deadline by GRACE with no `expire_offer` queued: it is enqueued.

Cheap when nothing is wrong: when no lawyer has room (a surge) it stops after the lawyers'
load; otherwise it reads the queue's waiting dispatch rows, the waiting cases and their past
offers, and ranks in memory; only when that leaves a case does it look at the running rows
(unindexed) and the case's offers once more. Cases nobody could take now are left alone, so a
day when every lawyer is busy does not re-dispatch every waiting case each round.

Dispatching again is safe however often it happens: offer_next locks the case row, gives up
while an offer is pending, and the database allows one pending offer per case, so two tasks
for one case never offer it to two lawyers. A task claimed by a worker that died in it stays
RUNNING with an old start: after FRESH seconds its case is dispatched again (and the task,
handed on later by habeas.ops.leftovers, then finds the offer and does nothing).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from habeas.cases.models import Case, Status

from . import policy, services, tasks
from .models import Offer, OfferState

log = logging.getLogger(__name__)

# An offer this long past its deadline, with no expire_offer queued, lost its task: a worker
# takes a due task within a poll (0.5 s), so 30 s is a backlog or a loss.
GRACE = timedelta(seconds=30)
# A dispatch_case runs in milliseconds (it waits for no lock: busy rows are skipped), so one
# started longer ago than this and still RUNNING was lost with its worker or its database.
FRESH = timedelta(seconds=10)


@dataclass(frozen=True)
class Swept:
    redispatched: list[int]  # case ids given a dispatch_case again
    expired: list[int]  # offer ids given an expire_offer again


def sweep() -> Swept:
    """Enqueue the dispatch that lost cases and overdue offers are missing; say which."""
    return Swept(redispatch_lost(), expire_overdue())


def redispatch_lost() -> list[int]:
    """Enqueue dispatch_case for each waiting case a lawyer could be offered now and no task
    is queued for; return their ids, most urgent first."""
    lawyers = [info for info in services.lawyer_infos() if info.load < info.capacity]
    if not lawyers:
        return []  # nobody to offer anything to: capacity_freed() dispatches when one frees up
    waiting_all = tasks.waiting_args(tasks.dispatch_waiting)
    queued_cases = tasks.waiting_args(tasks.dispatch_case)
    if waiting_all is None or queued_cases is None or waiting_all:
        return []  # a backend that cannot be asked, or a dispatch of every waiting case queued
    queued = {args[0] for args in queued_cases}
    # Read after the queue: a task that ran in between left its offer (so the case is not
    # waiting) or found nobody (so it is rightly looked at again).
    waiting = (
        Case.objects.filter(status=Status.OPEN, assigned_lawyer__isnull=True)
        .exclude(offers__state=OfferState.PENDING)
        .select_related("police_station", "near_station")
    )
    candidates = [case for case in waiting if case.pk not in queued]
    if not candidates:
        return []
    tried: dict[int, set[int]] = defaultdict(set)
    past = Offer.objects.filter(case__status=Status.OPEN, case__assigned_lawyer__isnull=True)
    for case_id, lawyer_id in past.values_list("case_id", "lawyer_id"):
        tried[case_id].add(lawyer_id)
    infos = [services.case_info(case) for case in candidates]
    lost = [
        info
        for info in policy.triage(infos)
        if policy.rank(info, lawyers, excluded=frozenset(tried[info.id]))
    ]
    lost = not_in_flight(lost)
    if not lost:
        return []
    with transaction.atomic():
        for info in lost:
            tasks.dispatch_case.enqueue(info.id)
    ids = [info.id for info in lost]
    log.info("dispatch watchdog: %s waiting cases had no dispatch queued: %s", len(ids), ids)
    return ids


def not_in_flight(infos: list[policy.CaseInfo]) -> list[policy.CaseInfo]:
    """Those of these cases that no dispatch_case started in the last FRESH seconds is
    running for, and that no such task offered meanwhile (read after the running rows)."""
    since = timezone.now() - FRESH
    running = {args[0] for args in tasks.running_args(tasks.dispatch_case, since)}
    ids = [info.id for info in infos]
    offered = set(Offer.objects.pending().filter(case_id__in=ids).values_list("case_id", flat=True))
    return [info for info in infos if info.id not in running and info.id not in offered]


def expire_overdue() -> list[int]:
    """Enqueue expire_offer for each pending offer past its deadline by GRACE that no task is
    queued to expire; return their ids."""
    due = list(
        Offer.objects.pending()
        .filter(expires_at__lt=timezone.now() - GRACE)
        .values_list("pk", flat=True)
    )
    if not due:
        return []
    queued_offers = tasks.waiting_args(tasks.expire_offer)
    if queued_offers is None:
        return []
    queued = {args[0] for args in queued_offers}
    lost = [pk for pk in due if pk not in queued]
    with transaction.atomic():
        for pk in lost:
            tasks.expire_offer.enqueue(pk)
    if lost:
        log.info("dispatch watchdog: %s overdue offers had no expiry queued: %s", len(lost), lost)
    return lost
