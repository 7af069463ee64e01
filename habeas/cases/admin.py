from django.contrib import admin

from .models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ("created_at", "kind", "author", "station")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Routing envelope only: the admin never shows sealed personal data."""

    list_display = ("public_id", "kind", "status", "priority", "police_station", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = ("public_id", "created_at", "updated_at", "closed_at", "purge_after")
    exclude = ("lat_coarse", "lon_coarse")
    inlines = [CaseEventInline]
