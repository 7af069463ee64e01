"""Writes to lawyers' profiles."""

from django.db import transaction

from .models import Lawyer


@transaction.atomic
def set_on_duty(user, on_duty: bool) -> Lawyer:
    """Put a lawyer on or off duty, creating the profile on first use."""
    lawyer, _ = Lawyer.objects.select_for_update().get_or_create(user=user)
    lawyer.on_duty = on_duty
    lawyer.save(update_fields=["on_duty"])
    return lawyer
