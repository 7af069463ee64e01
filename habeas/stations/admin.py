from django.contrib import admin

from .models import PoliceStation


@admin.register(PoliceStation)
class PoliceStationAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "lat", "lon", "weight", "source")
    search_fields = ("name", "address")
