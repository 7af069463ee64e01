"""Write the audit log: every view, export or change of personal data, by whom."""

from datetime import timedelta

from django.utils import timezone

from .models import AuditAction, AuditEntry


def record(actor, action: str, case_ref: str = "", what: str = "") -> AuditEntry:
    """Add one entry. `case_ref` is a case's public id; `what` a short, name-free description."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        case_ref=case_ref[:16],
        what=what[:100],
    )


def record_unless_recent(
    actor, action: str, case_ref: str, what: str, within: timedelta
) -> AuditEntry | None:
    """Add an entry unless this actor has one of this action on this case within `within`.

    For views repeated by a page's live refresh: the log says who looked and when they
    started looking, not every two seconds of it.
    """
    since = timezone.now() - within
    recent = AuditEntry.objects.filter(
        actor_id=getattr(actor, "pk", None), action=action, case_ref=case_ref[:16], at__gte=since
    )
    if recent.exists():
        return None
    return record(actor, action, case_ref, what)
