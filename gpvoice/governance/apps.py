from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "gpvoice.governance"
    label = "governance"
    verbose_name = "Membership, mandate and delegation"
