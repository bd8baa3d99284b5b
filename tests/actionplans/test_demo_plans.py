"""The plans drawn from seeds 000 and 004 are loaded by the demo as plans with outputs."""

import datetime

import pytest
from django.urls import reverse

from actionplans.demo import load_action_plans
from actionplans.models import ActionPlan
from boards.demo import load_boards

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_boards()
    load_action_plans()


def test_the_communities_board_work_programme_of_seed_000(demo):
    plan = ActionPlan.objects.get(name="Communities Board work programme")
    assert plan.owner.name == "Communities Board"
    assert not plan.illustrative
    titles = list(plan.outputs.order_by("ref").values_list("title", flat=True))
    assert len(titles) == 8  # the eight items of section 3.8.1
    assert titles[0] == 'Work on a "Best City for Communities" development programme'
    assert titles[3] == "Work with the Leeds Poverty Challenge"


def test_the_strong_and_resilient_communities_project_of_seed_004(demo):
    plan = ActionPlan.objects.get(name="Strong and Resilient Communities project")
    assert plan.owner.name == "Executive Board"
    assert [p.title for p in plan.priorities.order_by("order")] == [
        "Instil a sense of belonging and pride in being a citizen of Leeds",
        "Improve community resilience and sustainability",
        "Develop capacity and leadership within communities",
        "Raise the aspirations of communities and widen access to economic opportunity",
        "Improve our understanding of our communities and provide more targeted support to "
        "those that may be considered more vulnerable to extremist narratives",
    ]
    stages = {o.ref: o for o in plan.outputs.all()}
    assert sorted(stages) == ["S1", "S2", "S3", "S4"]
    assert stages["S1"].commencement == datetime.date(2016, 10, 1)  # "commence October 2016"
    assert stages["S2"].due == datetime.date(2017, 3, 31)  # "to 31 March 2017"
    assert stages["S3"].due == datetime.date(2017, 4, 30)  # "to April 2017 (then ongoing)"
    assert stages["S4"].title.startswith("Stage 4: Identify pathfinder projects")


def test_their_pages_show_the_outputs(client, demo):
    for plan in ActionPlan.objects.filter(programme__isnull=True):
        response = client.get(reverse("actionplans:plan_detail", args=[plan.slug]))
        assert response.status_code == 200
        for output in plan.outputs.all():
            assert output.ref in response.content.decode()


def test_the_regeneration_plan_outputs_are_all_marked_illustrative(demo):
    plans = ActionPlan.objects.filter(programme__slug="leeds-regeneration-plan-20052008")
    assert plans.count() == 6
    assert all(plan.illustrative for plan in plans)
    assert not plans.filter(outputs__illustrative=False).exists()
