from django.contrib import admin

from .models import Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("case", "lawyer", "state", "attempt", "created_at", "expires_at")
    list_filter = ("state",)
