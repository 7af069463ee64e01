"""Background dispatch work (django.tasks on the database backend)."""

from django.tasks import task

from . import services


@task
def dispatch_case(case_id: int) -> str:
    """Offer a case to the next lawyer, or escalate it."""
    offer = services.offer_next(case_id)
    return f"offered {offer.pk}" if offer else "no offer"


@task
def expire_offer(offer_id: int) -> str:
    """Run at an offer's deadline: if still unanswered, move on to the next lawyer."""
    return "expired" if services.expire(offer_id) else "already answered"


@task
def dispatch_waiting() -> int:
    """Offer every waiting case again, in triage order; return how many got an offer."""
    return sum(1 for case_id in services.waiting_cases() if services.offer_next(case_id))
