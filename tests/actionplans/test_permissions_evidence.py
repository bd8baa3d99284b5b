"""Evidence on returns for every role, anonymous included: the upload page, the public switch and
the download. Every refused request leaves the database and the stored files as they were."""

import pytest
from django.urls import reverse

from actionplans.evidence import add_return_evidence
from actionplans.models import ReturnEvidence
from leeds_communities.models import AuditEvent
from leeds_communities.security import SECURITY_ACTIONS
from tests.actionplans.evidence_files import pdf_bytes, upload
from tests.actionplans.journey import closed_quarter, open_quarter
from tests.conftest import PERSONAS
from tests.factories import OutputFactory, StatusUpdateFactory
from tests.permissions import LEAD_AGENCY, over_matrix

# Placeholders, replaced by the ids the fixture makes: returns of an output the `officer`
# persona's agency leads, in a published (closed) and an open quarter, and their files.
RETURN = "<published return>"
OPEN_RETURN = "<open return>"
PRIVATE = "<private file, published quarter>"
PUBLIC = "<public file, published quarter>"
PUBLIC_OPEN = "<public file, open quarter>"

ALL = dict.fromkeys(PERSONAS, 200)
NONE = dict.fromkeys(PERSONAS, 405)
SIGNED_IN = ALL | {"anonymous": 404}
SUPPORT = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "governance_support": 302}

# (url name, args, query, method, expected status per persona)
MATRIX = [
    ("actionplans:return_evidence", [RETURN], "", "get", LEAD_AGENCY),
    ("actionplans:return_evidence", [OPEN_RETURN], "", "get", LEAD_AGENCY),
    (
        "actionplans:return_evidence",
        [OPEN_RETURN],
        "",
        "post",
        LEAD_AGENCY | {"officer": 302, "governance_support": 302},
    ),
    (
        "actionplans:return_evidence",
        [999999],
        "",
        "get",
        dict.fromkeys(PERSONAS, 404) | {"anonymous": 302},
    ),
    ("actionplans:return_evidence", [RETURN], "", "put", NONE),
    ("actionplans:evidence_file", [PUBLIC], "", "get", ALL),
    ("actionplans:evidence_file", [PRIVATE], "", "get", SIGNED_IN),
    ("actionplans:evidence_file", [PUBLIC_OPEN], "", "get", SIGNED_IN),
    ("actionplans:evidence_file", [999999], "", "get", dict.fromkeys(PERSONAS, 404)),
    ("actionplans:evidence_file", [PUBLIC], "", "post", NONE),
    ("actionplans:evidence_public", [PRIVATE], "", "post", SUPPORT),
    ("actionplans:evidence_public", [PUBLIC_OPEN], "", "post", SUPPORT),
    ("actionplans:evidence_public", [PRIVATE], "", "get", NONE),
]


@pytest.fixture
def files(agency, officer, other_agency_officer):
    output = OutputFactory(lead_agency=agency, ref="NE001")
    published = StatusUpdateFactory(output=output, quarter=closed_quarter(number=2))
    current = StatusUpdateFactory(output=output, quarter=open_quarter())

    def add(update, name, public):
        evidence = add_return_evidence(
            update=update, upload=upload(name, pdf_bytes()), acting_user=officer
        )
        ReturnEvidence.objects.filter(pk=evidence.pk).update(public=public)
        return evidence.pk

    return {
        RETURN: published.pk,
        OPEN_RETURN: current.pk,
        PRIVATE: add(published, "private.pdf", False),
        PUBLIC: add(published, "public.pdf", True),
        PUBLIC_OPEN: add(current, "public-open.pdf", True),
    }


def _state():
    return (
        list(ReturnEvidence.objects.order_by("pk").values_list("pk", "public")),
        AuditEvent.objects.exclude(action__in=SECURITY_ACTIONS).count(),
    )


@over_matrix(MATRIX)
def test_each_role_gets_the_expected_status(
    persona, name, args, query, method, expected, persona_client, files
):
    client = persona_client(persona)
    url = reverse(name, args=[files.get(a, a) for a in args]) + query
    data = {}
    if name == "actionplans:return_evidence":
        data = {"file": upload("more.pdf", pdf_bytes())}
    elif name == "actionplans:evidence_public":
        data = {"public": "no" if args[0] == PUBLIC_OPEN else "yes"}
    before = _state()
    response = (
        getattr(client, method)(url, data) if method == "post" else getattr(client, method)(url)
    )
    assert response.status_code == expected[persona], (persona, url)
    if response.status_code == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if method != "get" and expected[persona] not in (200, 302) or persona == "anonymous":
        assert _state() == before, "a refused request wrote something"
    elif method == "post" and response.status_code == 302:
        assert _state() != before, "an accepted request wrote nothing"
