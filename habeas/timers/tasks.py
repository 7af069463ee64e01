from django.tasks import task

from . import services


@task
def fire_timer(timer_id: int) -> str:
    """Scheduled for the deadline: send the SOS unless the person checked in."""
    return "fired" if services.fire_if_due(timer_id) else "not due or not armed"
