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
