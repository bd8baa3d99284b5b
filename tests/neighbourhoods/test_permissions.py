"""Every neighbourhoods URL name, for every role: the status each must get.

`tests/test_permissions.py` collects this `MATRIX` too, to check that every URL name has a row.
"""

import pytest
from django.urls import reverse

from neighbourhoods.models import Indicator, PriorityNeighbourhood
from tests.conftest import PERSONAS
from tests.permissions import over_matrix

ALL = dict.fromkeys(PERSONAS, 200)
SUPPORT_ONLY = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "governance_support": 200}
# A POST by governance support with no boxes ticked saves (and redirects to the profile).
SUPPORT_ONLY_POST = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "governance_support": 302}
NOBODY = dict.fromkeys(PERSONAS, 404)
IMD_2019_SET = "leeds-lsoas-in-the-most-deprived-1-nationally-imd-2019"

# (url name, args, query, method, expected status per persona)
MATRIX = [
    ("neighbourhoods:index", [], "", "get", ALL),
    ("neighbourhoods:index", [], "", "post", dict.fromkeys(PERSONAS, 405)),
    ("neighbourhoods:map", [], "", "get", ALL),
    ("neighbourhoods:map", [], "?domain=crime&edition=2019", "get", ALL),
    ("neighbourhoods:lsoa_list", [], "", "get", ALL),
    ("neighbourhoods:lsoa_list", [], "?_export=csv&imd_decile=1", "get", ALL),
    ("neighbourhoods:lsoa_list", [], "", "post", dict.fromkeys(PERSONAS, 405)),
    ("neighbourhoods:lsoa_detail", ["E01011264"], "", "get", ALL),
    ("neighbourhoods:lsoa_detail", ["E01999999"], "", "get", NOBODY),
    ("neighbourhoods:ward_detail", ["burmantofts-richmond-hill"], "", "get", ALL),
    ("neighbourhoods:ward_detail", ["no-such-ward"], "", "get", NOBODY),
    ("neighbourhoods:committee_detail", ["inner-east"], "", "get", ALL),
    ("neighbourhoods:priority_detail", ["new-wortley"], "", "get", ALL),
    ("neighbourhoods:priority_detail", [IMD_2019_SET], "", "get", ALL),
    ("neighbourhoods:priority_lsoas", ["new-wortley"], "", "get", SUPPORT_ONLY),
    ("neighbourhoods:priority_lsoas", ["new-wortley"], "", "post", SUPPORT_ONLY_POST),
    (
        "neighbourhoods:priority_lsoas",
        [IMD_2019_SET],
        "",
        "get",
        SUPPORT_ONLY | {"governance_support": 404},
    ),
    ("neighbourhoods:indicator_list", [], "", "get", ALL),
    ("neighbourhoods:indicator_detail", ["residents-feeling-safe"], "", "get", ALL),
    ("neighbourhoods:indicator_detail", ["no-such-indicator"], "", "get", NOBODY),
    (
        "admin:neighbourhoods_indicator_changelist",
        [],
        "",
        "get",
        SUPPORT_ONLY | {p: 302 for p in PERSONAS if p != "governance_support"},
    ),
]


@pytest.fixture(autouse=True)
def indicator(leeds):
    return Indicator.objects.create(
        name="Residents feeling safe",
        slug="residents-feeling-safe",
        unit="%",
        higher_is_better=True,
        illustrative=True,
    )


@over_matrix(MATRIX)
def test_each_role_gets_the_expected_status(
    persona, name, args, query, method, expected, persona_client, leeds
):
    client = persona_client(persona)
    url = reverse(name, args=args) + query
    response = getattr(client, method)(url)
    assert response.status_code == expected[persona], (persona, url)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "governance_support"])
def test_a_post_by_anyone_else_writes_nothing(persona, persona_client, leeds):
    client = persona_client(persona)
    client.post(
        reverse("neighbourhoods:priority_lsoas", args=["new-wortley"]), {"lsoas": ["E01011264"]}
    )
    assert not PriorityNeighbourhood.objects.get(slug="new-wortley").lsoas.exists()
