"""Court reminders, scheduled as task rows when a hearing or decision is recorded, so they
fire even after a restart; each names only the case id and a link, never the person."""

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from habeas.dispatch import messages

from .models import Hearing
from .services import due_reminder


def _link(case) -> str:
    return settings.HABEAS_BASE_URL + reverse("console:case", args=[case.public_id])


@task
def remind_hearing(hearing_id: int) -> str:
    """The evening before a hearing, its case's lawyer is reminded."""
    hearing = Hearing.objects.select_related("case__assigned_lawyer").filter(pk=hearing_id).first()
    if hearing is None or hearing.case.assigned_lawyer is None or hasattr(hearing, "decision"):
        return "nothing to remind"
    case = hearing.case

    def compose():
        when = formats.date_format(timezone.localtime(hearing.starts_at), "SHORT_DATETIME_FORMAT")
        return (
            _("Hearing tomorrow: case %(id)s") % {"id": case.public_id},
            _("Case %(id)s is heard at %(when)s. Court and address: %(link)s")
            % {"id": case.public_id, "when": when, "link": _link(case)},
        )

    messages.tell_lawyer(case.assigned_lawyer, compose, f"hearing-eve:{hearing.pk}")
    return "reminded"


@task
def remind_deadline(decision_id: int, days: int) -> str:
    """3 days and 1 day before an appeal is due, the case's lawyer is reminded."""
    decision = due_reminder(decision_id)
    if decision is None:
        return "nothing to remind"
    case = decision.hearing.case

    def compose():
        due = formats.date_format(decision.appeal_deadline, "SHORT_DATE_FORMAT")
        return (
            _("Appeal due %(date)s: case %(id)s") % {"date": due, "id": case.public_id},
            _("The appeal in case %(id)s is due on %(date)s (KoAP 30.3): %(link)s")
            % {"id": case.public_id, "date": due, "link": _link(case)},
        )

    messages.tell_lawyer(case.assigned_lawyer, compose, f"appeal-due:{decision.pk}:{days}")
    return "reminded"
