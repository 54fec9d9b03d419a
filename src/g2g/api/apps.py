from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "g2g.api"
    verbose_name = "JSON API and feeds"
