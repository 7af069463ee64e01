from django.contrib import admin

from .models import Lawyer


@admin.register(Lawyer)
class LawyerAdmin(admin.ModelAdmin):
    list_display = ("user", "phone", "on_duty", "capacity", "radius_km", "channels")
    list_filter = ("on_duty",)
    filter_horizontal = ("stations",)
