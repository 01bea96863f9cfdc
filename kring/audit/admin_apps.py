"""django.contrib.admin with Kring's own site (admin_site.py); no models imported here."""

from django.contrib.admin.apps import AdminConfig


class KringAdminConfig(AdminConfig):
    default_site = "kring.admin_site.KringAdminSite"
