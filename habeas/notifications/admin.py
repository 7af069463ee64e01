from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """State only: addresses and texts stay sealed."""

    list_display = ("dedupe_key", "channel", "state", "attempts", "last_error", "updated_at")
    list_filter = ("state", "channel")
    fields = ("dedupe_key", "channel", "state", "attempts", "last_error", "sent_at")
    readonly_fields = fields
