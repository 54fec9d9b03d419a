from django.apps import AppConfig


class AnnexaConfig(AppConfig):
    name = "g2g.annexa"
    verbose_name = "Annex A analytics"
