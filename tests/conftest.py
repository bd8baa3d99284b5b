"""Personas: one signed-in client per role, plus the anonymous public."""

import pytest

from leeds_communities.roles import Role
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

PERSONAS = [
    "anonymous",
    "officer",
    "other_agency_officer",
    "chair",
    "scrutiny_member",
    "governance_support",
]


@pytest.fixture
def agency(db):
    return OrganisationFactory(name="Leeds City Council")


@pytest.fixture
def other_agency(db):
    return OrganisationFactory(name="West Yorkshire Police")


@pytest.fixture
def officer(agency):
    return UserFactory(username="officer", role=Role.OFFICER, profile__organisation=agency)


@pytest.fixture
def other_agency_officer(other_agency):
    return UserFactory(
        username="other_officer", role=Role.OFFICER, profile__organisation=other_agency
    )


@pytest.fixture
def chair_person(db):
    return PersonFactory(name="Chair Person")


@pytest.fixture
def chair(chair_person):
    return UserFactory(username="chair", role=Role.CHAIR, profile__person=chair_person)


@pytest.fixture
def scrutiny_member(db):
    return UserFactory(username="scrutiny", role=Role.SCRUTINY_MEMBER)


@pytest.fixture
def governance_support(db):
    return UserFactory(username="governance", role=Role.GOVERNANCE_SUPPORT)


@pytest.fixture
def anonymous(db):
    return None


@pytest.fixture
def persona_client(request, client):
    """A test client signed in as the persona named by the test's `persona` parameter."""

    def _client(name):
        user = request.getfixturevalue(name)
        if user is not None:
            client.force_login(user)
        return client

    return _client
