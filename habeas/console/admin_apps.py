"""Django's admin app with our site (admin_site.py) as its default site.

Kept apart from admin_site.py: INSTALLED_APPS imports this module before models are ready.
"""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "habeas.console.admin_site.StaffAdminSite"
