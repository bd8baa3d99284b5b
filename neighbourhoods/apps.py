from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = "Neighbourhoods"

    def ready(self):
        from actionplans import freshness
        from neighbourhoods.models import CommunityCommittee, PriorityNeighbourhood, Ward

        # The dashboards count outputs by committee, ward and priority neighbourhood: a change
        # to those or to which outputs target them moves the data's epoch on.
        for model in (CommunityCommittee, Ward, PriorityNeighbourhood):
            post_save.connect(freshness.changed, sender=model, dispatch_uid=f"epoch-{model}")
            post_delete.connect(freshness.changed, sender=model, dispatch_uid=f"epoch-d-{model}")
        targets = (Ward.targeted_outputs.through, PriorityNeighbourhood.targeted_outputs.through)
        for through in targets:
            m2m_changed.connect(freshness.changed, sender=through, dispatch_uid=f"epoch-{through}")
