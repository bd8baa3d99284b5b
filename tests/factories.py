import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from boards.models import (
    Board,
    Membership,
    Organisation,
    Person,
    Profile,
    Sector,
    TermsOfReference,
    TermsSection,
)
from leeds_communities.roles import Role, ensure_role_groups


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = Sector.PUBLIC


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    job_title = "Officer"
    organisation = factory.SubFactory(OrganisationFactory)


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Board {n:03d}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Board.Kind.PARTNERSHIP
    status = Board.Status.ACTIVE
    established = datetime.date(2011, 1, 1)
    remit = "To work in partnership."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation if o.person else None)
    role = Membership.Role.MEMBER


class TermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsOfReference

    board = factory.SubFactory(BoardFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = "Terms of reference"
    status = TermsOfReference.Status.AGREED
    agreed_on = datetime.date(2013, 5, 24)


class TermsSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsSection

    terms = factory.SubFactory(TermsFactory)
    order = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = "The board will meet quarterly."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("password")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        groups = ensure_role_groups()
        self.groups.add(groups[Role(extracted)])
        if extracted == Role.GOVERNANCE_SUPPORT:
            self.is_staff = True
            self.save(update_fields=["is_staff"])

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if not create:
            return
        Profile.objects.get_or_create(user=self, defaults=kwargs)


# --- action plans -------------------------------------------------------------------------------

from actionplans.models import (  # noqa: E402
    ActionPlan,
    Output,
    Priority,
    Programme,
    Quarter,
    StatusUpdate,
)
from actionplans.quarters import default_deadline  # noqa: E402


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Plan {n:03d}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    owner = factory.SubFactory(BoardFactory)
    scope = ActionPlan.Scope.DISTRICT
    period_start = datetime.date(2005, 11, 1)
    period_end = datetime.date(2008, 3, 31)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")


class QuarterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quarter
        django_get_or_create = ["year", "number"]

    year = 2006
    number = 3
    deadline = factory.LazyAttribute(lambda o: default_deadline(o.year, o.number))
    state = Quarter.State.OPEN


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    plan = factory.SubFactory(ActionPlanFactory)
    ref = factory.Sequence(lambda n: f"O{n:04d}")
    title = factory.Sequence(lambda n: f"Output {n}")
    lead_agency = factory.SubFactory(OrganisationFactory)
    lead_officer = "A. Officer"
    commencement = datetime.date(2005, 11, 1)
    due = datetime.date(2008, 3, 31)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    output = factory.SubFactory(OutputFactory)
    quarter = factory.SubFactory(QuarterFactory)
    rag = "GREEN"
    commentary = ""
    created_at = factory.LazyFunction(
        lambda: datetime.datetime(2007, 1, 10, 9, tzinfo=datetime.UTC)
    )
    source = StatusUpdate.Source.WEB
