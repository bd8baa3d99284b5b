from django.apps import AppConfig


class LeedsCommunitiesConfig(AppConfig):
    name = "leeds_communities"
    verbose_name = "Leeds Communities"

    def ready(self):
        from leeds_communities import security

        security.connect()
