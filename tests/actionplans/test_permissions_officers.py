"""The officer's journey, returns and imports for every role, anonymous included. Every refused
POST leaves the database as it was."""

import pytest
from django.urls import reverse

from actionplans.models import Output, ReturnDraft, ReturnReminder, StatusUpdate
from leeds_communities.models import AuditEvent
from leeds_communities.security import SECURITY_ACTIONS
from tests.actionplans.journey import open_quarter
from tests.conftest import PERSONAS
from tests.factories import OutputFactory
from tests.permissions import LEAD_AGENCY, over_matrix

OUTPUT = "<output>"  # replaced by the id of an output the `officer` persona's agency leads

ALL = dict.fromkeys(PERSONAS, 200)
REPORTERS = {
    "anonymous": 302,
    "officer": 200,
    "other_agency_officer": 200,
    "chair": 403,
    "scrutiny_member": 403,
    "governance_support": 200,
}
SUPPORT = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "governance_support": 200}

# (url name, args, query, method, expected status per persona)
MATRIX = [
    ("actionplans:my_outputs", [], "", "get", REPORTERS),
    ("actionplans:my_outputs", [], "?_export=csv", "get", REPORTERS),
    ("actionplans:carry_forward", [], "", "get", REPORTERS),
    # Nothing ticked: a GOV.UK error for those who may carry returns forward, nothing written.
    (
        "actionplans:carry_forward",
        [],
        "",
        "post",
        REPORTERS | {"officer": 400, "other_agency_officer": 400, "governance_support": 400},
    ),
    ("actionplans:carry_forward", [], "", "put", dict.fromkeys(PERSONAS, 405)),
    ("actionplans:output_detail", [OUTPUT], "", "get", ALL),
    ("actionplans:output_detail", [OUTPUT], "", "post", dict.fromkeys(PERSONAS, 405)),
    ("actionplans:output_detail", [999999], "", "get", dict.fromkeys(PERSONAS, 404)),
    ("actionplans:output_update", [OUTPUT], "", "get", LEAD_AGENCY),
    (
        "actionplans:output_update",
        [OUTPUT],
        "",
        "post",
        LEAD_AGENCY | {"officer": 302, "governance_support": 302},
    ),
    ("actionplans:output_update", [OUTPUT], "", "put", dict.fromkeys(PERSONAS, 405)),
    ("actionplans:returns", [], "", "get", REPORTERS),
    ("actionplans:returns", [], "?year=2006/07&quarter=3", "get", REPORTERS),
    ("actionplans:returns_remind", [], "", "get", dict.fromkeys(PERSONAS, 405)),
    ("actionplans:returns_remind", [], "", "post", SUPPORT | {"governance_support": 302}),
    ("actionplans:quarters", [], "", "get", SUPPORT),
    ("actionplans:quarters", [], "?page=2", "get", SUPPORT),
    ("actionplans:quarter_detail", [2006, 3], "", "get", SUPPORT),
    ("actionplans:quarter_detail", [2006, 3], "", "post", SUPPORT | {"governance_support": 400}),
    ("actionplans:quarter_detail", [1999, 3], "", "get", SUPPORT | {"governance_support": 404}),
    ("actionplans:import_outputs", [], "", "get", SUPPORT),
    ("actionplans:import_outputs", [], "", "post", SUPPORT | {"governance_support": 400}),
    ("actionplans:import_status_updates", [], "", "get", SUPPORT),
    ("actionplans:import_status_updates", [], "", "post", SUPPORT | {"governance_support": 400}),
]


@pytest.fixture
def journey(agency, officer, other_agency_officer):
    quarter = open_quarter()
    officer.email = "officer@leeds.example"
    officer.save()
    output = OutputFactory(lead_agency=agency, ref="NE001")
    return output, quarter


def _counts():
    return (
        StatusUpdate.objects.count(),
        ReturnDraft.objects.count(),
        ReturnReminder.objects.count(),
        Output.objects.count(),
        AuditEvent.objects.exclude(action__in=SECURITY_ACTIONS).count(),
        list(Output.objects.order_by("pk").values_list("version", flat=True)),
    )


@over_matrix(MATRIX)
def test_each_role_gets_the_expected_status(
    persona, name, args, query, method, expected, persona_client, journey
):
    output, quarter = journey
    client = persona_client(persona)
    url = reverse(name, args=[output.pk if a == OUTPUT else a for a in args]) + query
    data = {}
    if name == "actionplans:output_update":
        data = {"rag": "GREEN", "commentary": "", "version": 0, "quarter": quarter.pk}
    elif name == "actionplans:carry_forward":
        data = {"note": "No change"}
    elif name == "actionplans:returns_remind":
        data = {"quarter": quarter.pk}
    before = _counts()
    response = (
        getattr(client, method)(url, data) if method == "post" else getattr(client, method)(url)
    )
    assert response.status_code == expected[persona], (persona, url)
    if response.status_code == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if method != "get" and expected[persona] not in (200, 302) or persona == "anonymous":
        assert _counts() == before, "a refused request wrote something"


def test_a_successful_update_and_reminder_do_write(client, governance_support, journey):
    output, quarter = journey
    client.force_login(governance_support)
    client.post(reverse("actionplans:returns_remind"), {"quarter": quarter.pk})
    assert ReturnReminder.objects.count() == 1
    client.post(
        reverse("actionplans:output_update", args=[output.pk]),
        {"rag": "GREEN", "version": 0, "quarter": quarter.pk},
    )
    assert StatusUpdate.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_saved_only_by_the_lead_agency_and_governance_support(
    persona, persona_client, journey
):
    """Saving a draft is a POST to the update form with action=draft: the same roles as a save."""
    output, quarter = journey
    data = {"action": "draft", "rag": "RED", "version": 0, "quarter": quarter.pk}
    url = reverse("actionplans:output_update", args=[output.pk])
    before = _counts()
    response = persona_client(persona).post(url, data)
    allowed = LEAD_AGENCY[persona] == 200
    assert response.status_code == (302 if allowed else LEAD_AGENCY[persona])
    assert ReturnDraft.objects.count() == (1 if allowed else 0)
    assert _counts()[0] == before[0], "a draft wrote a return"
