"""Seed 001's 2014/15 narrative performance report, loaded by the demo and shown for the
Communities Board."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.models import NarrativeReport, PerformanceArea
from actionplans.narrative import load_narrative_reports
from boards.demo import load_boards

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    load_boards()
    load_narrative_reports()
    return NarrativeReport.objects.get(board__name="Communities Board", period_label="2014/15")


def test_the_demo_loads_the_report_once(report):
    areas = list(report.areas.values_list("name", flat=True))
    assert areas[:3] == [
        "Locality Projects",
        "City wide project",
        "Communities Together (cohesion and resilience)",
    ]
    assert "Poverty Truth Challenge" in areas
    load_narrative_reports()
    assert NarrativeReport.objects.count() == 1
    assert PerformanceArea.objects.count() == len(areas)


def test_load_demo_data_loads_it(db, settings):
    settings.DEMO_ACCOUNTS = False
    call_command("load_demo_data", stdout=io.StringIO())
    assert NarrativeReport.objects.filter(board__name="Communities Board").exists()


def test_the_page_shows_each_area_with_links_and_comments(client, report):
    response = client.get(reverse("actionplans:narrative_report", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2014/15" in html and "January 2015" in html
    assert f'href="{report.board.get_absolute_url()}"' in html
    assert "<caption" in html
    for area in report.areas.all():
        assert area.name in html
    assert "Communities Board</td>" in html  # a strategic link
    assert "2 community facilitators have been appointed" in html
    assert '<ul class="govuk-list govuk-list--bullet"><li>Posters distributed in key areas' in html


def test_the_plans_index_links_to_it(client, report):
    html = client.get(reverse("actionplans:index")).content.decode()
    assert f'href="{reverse("actionplans:narrative_report", args=[report.pk])}"' in html
    assert "Communities Board: 2014/15 performance report" in html


def test_an_unknown_report_is_not_found(client, db):
    assert client.get(reverse("actionplans:narrative_report", args=[999])).status_code == 404


def test_the_page_reads_in_a_constant_number_of_queries(client, report, django_assert_num_queries):
    with django_assert_num_queries(2):  # the report with its board, its areas
        client.get(reverse("actionplans:narrative_report", args=[report.pk]))
