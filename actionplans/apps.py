from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = "Action plans"

    def ready(self):
        from actionplans import freshness
        from actionplans.models import ActionPlan, Output, Priority, Programme, Quarter
        from boards.models import Board, Organisation

        # What the dashboards count from: a change to any of these moves the data's epoch on,
        # so no cached aggregate outlives it (`actionplans.freshness`). Returns move it in
        # `status.keep_latest`; bulk writes of outputs in their queryset.
        for model in (ActionPlan, Output, Priority, Programme, Quarter, Board, Organisation):
            post_save.connect(freshness.changed, sender=model, dispatch_uid=f"epoch-{model}")
            post_delete.connect(freshness.changed, sender=model, dispatch_uid=f"epoch-d-{model}")
