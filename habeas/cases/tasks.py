"""Scheduled destruction of personal data (django.tasks on the database backend)."""

from django.tasks import task
from django.utils import timezone

from .models import Case
from .services import forget_details


@task
def purge_case(case_id: int) -> str:
    """Run at a closed case's retention date: destroy its personal data if still due."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None or case.purge_after is None or case.purge_after > timezone.now():
        return "not due"
    forget_details(case_id)
    return "purged"
