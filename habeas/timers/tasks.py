from django.tasks import task

from . import services


@task
def fire_timer(timer_id: int) -> str:
    """Scheduled for the deadline: send the SOS unless the person checked in."""
    return "fired" if services.fire_if_due(timer_id) else "not due or not armed"


@task
def fire_under_duress(timer_id: int) -> str:
    """Right after a duress PIN was answered like the real one: send the SOS."""
    return "fired" if services.fire_duress(timer_id) else "already sent or not under duress"
