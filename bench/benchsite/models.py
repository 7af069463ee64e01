from django.db import models


class Row(models.Model):
    """One row per request of the insert baseline: a unique key, like an SOS's idempotency key."""

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
