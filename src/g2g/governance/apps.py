from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "g2g.governance"
    verbose_name = "Boards, meetings and obsessions"
