from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "g2g.tenancy"
    verbose_name = "Authorities and roles"
