"""Write the audit log: every view, export or change of personal data, by whom."""

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
