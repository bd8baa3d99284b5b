"""Every URL name, for every role (anonymous included): the status each must get."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actionplans.models import NarrativeReport
from boards.models import TermsOfReference
from tests.conftest import PERSONAS
from tests.factories import (
    ActionPlanFactory,
    BoardFactory,
    MembershipFactory,
    OutputFactory,
    ProgrammeFactory,
    QuarterFactory,
    StatusUpdateFactory,
    TermsFactory,
)
from tests.permissions import over_matrix

ALL = dict.fromkeys(PERSONAS, 200)
SUPPORT_ONLY_ADMIN = dict.fromkeys(PERSONAS, 302) | {"governance_support": 200}
SUMMARY_QUERY = "programme=permission-programme&year=2006/07&quarter=3"


@pytest.fixture
def register(chair_person):
    board = BoardFactory(name="Communities Board", slug="communities-board")
    MembershipFactory(board=board, person=chair_person, role="chair")
    TermsFactory(board=board, version=1, status=TermsOfReference.Status.AGREED)
    TermsFactory(board=board, version=2, status=TermsOfReference.Status.DRAFT)
    return board


@pytest.fixture(autouse=True)
def action_plans_to_read(db):
    """A programme with a plan that has an output and a return in Q3 2006/07 (published: the
    public reads it) with Q4 open, and a narrative report, for the action plan reading pages."""
    programme = ProgrammeFactory(name="Permission programme")
    plan = ActionPlanFactory(programme=programme, name="Permission plan")
    q3 = QuarterFactory(state="closed")
    QuarterFactory(number=4, state="open")
    StatusUpdateFactory(output=OutputFactory(plan=plan), quarter=q3, rag="GREEN")
    NarrativeReport.objects.create(
        pk=7701,
        board=plan.owner,
        title="Performance reporting",
        period_label="2014/15",
        reported=datetime.date(2015, 1, 1),
    )


# (url name, args, query, method, expected status per persona)
MATRIX = [
    ("home", [], "", "get", ALL),
    ("healthz", [], "", "get", ALL),
    ("healthz", [], "", "post", dict.fromkeys(PERSONAS, 405)),
    (
        "audit_log",
        [],
        "",
        "get",
        dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "governance_support": 200},
    ),
    (
        "audit_log",
        [],
        "?_export=csv",
        "get",
        dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "governance_support": 200},
    ),
    ("login", [], "", "get", dict.fromkeys(PERSONAS, 302) | {"anonymous": 200}),
    ("logout", [], "", "get", dict.fromkeys(PERSONAS, 405)),
    ("logout", [], "", "post", dict.fromkeys(PERSONAS, 302)),
    ("boards:board_list", [], "", "get", ALL),
    ("boards:board_list", [], "?_export=csv", "get", ALL),
    ("boards:board_list", [], "", "post", dict.fromkeys(PERSONAS, 405)),
    ("boards:structure", [], "?on=2013-06-01", "get", ALL),
    ("boards:board_detail", ["communities-board"], "", "get", ALL),
    ("boards:board_detail", ["no-such-board"], "", "get", dict.fromkeys(PERSONAS, 404)),
    ("boards:terms_detail", ["communities-board", 1], "", "get", ALL),
    (
        "boards:terms_detail",
        ["communities-board", 2],
        "",
        "get",
        dict.fromkeys(PERSONAS, 404) | {"chair": 200, "governance_support": 200},
    ),
    ("boards:terms_compare", ["communities-board"], "?a=1&b=1", "get", ALL),
    (
        "boards:terms_compare",
        ["communities-board"],
        "?a=1&b=2",
        "get",
        dict.fromkeys(PERSONAS, 400) | {"chair": 200, "governance_support": 200},
    ),
    ("actionplans:index", [], "", "get", ALL),
    ("actionplans:index", [], "?scope=district&_export=csv", "get", ALL),
    ("actionplans:index", [], "", "post", dict.fromkeys(PERSONAS, 405)),
    ("actionplans:plan_detail", ["permission-plan"], "", "get", ALL),
    ("actionplans:plan_detail", ["permission-plan"], "?year=2006/07&quarter=3", "get", ALL),
    ("actionplans:plan_detail", ["no-such-plan"], "", "get", dict.fromkeys(PERSONAS, 404)),
    ("actionplans:summary", [], "", "get", ALL),
    ("actionplans:summary", [], f"?{SUMMARY_QUERY}", "get", ALL),
    ("actionplans:summary", [], f"?{SUMMARY_QUERY}&format=csv", "get", ALL),
    ("actionplans:summary", [], "?programme=no-such", "get", dict.fromkeys(PERSONAS, 400)),
    ("actionplans:narrative_report", [7701], "", "get", ALL),
    ("actionplans:narrative_report", [7702], "", "get", dict.fromkeys(PERSONAS, 404)),
    ("admin:index", [], "", "get", SUPPORT_ONLY_ADMIN),
    ("admin:boards_board_changelist", [], "", "get", SUPPORT_ONLY_ADMIN),
    ("admin:boards_termsofreference_changelist", [], "", "get", SUPPORT_ONLY_ADMIN),
]


@over_matrix(MATRIX)
def test_each_role_gets_the_expected_status(
    persona, name, args, query, method, expected, persona_client, register
):
    client = persona_client(persona)
    url = reverse(name, args=args) + query
    response = getattr(client, method)(url)
    assert response.status_code == expected[persona], (persona, url)


def _project_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin is covered by its index and changelists above
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _all_matrices():
    """Every `MATRIX` in a tests/**/test_permissions*.py module: each app keeps its own."""
    import importlib
    import pathlib

    root = pathlib.Path(__file__).parent
    rows = []
    for path in sorted(root.rglob("test_permissions*.py")):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        rows.extend(importlib.import_module(module).MATRIX)
    return rows


def test_matrix_covers_every_url_name():
    covered = {row[0] for row in _all_matrices()}
    assert _project_url_names() - covered == set()
