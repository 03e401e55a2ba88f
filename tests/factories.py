"""factory_boy factories for the domain objects. Personas are built from these in conftest."""

import factory
from django.utils import timezone

from apps.accounts.models import Invitation, Role, RoleAssignment, User
from apps.partnerships.models import Membership, Organisation, Partnership, PhaseChange
from apps.schools.models import ImportJob, School


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 980000 + n)
    name = factory.Sequence(lambda n: f"Testwood School {n}")
    status = "Open"
    phase = "Primary"
    la_code = "998"
    la_name = "Testshire"
    type_name = "Community school"
    pupils = 200
    percentage_fsm = "15.0"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Council {n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Partnership {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    phase = "build"

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            PhaseChange.objects.create(partnership=obj, phase=obj.phase,
                                       started_on=timezone.localdate().replace(month=9, day=1)
                                       if timezone.localdate().month >= 9
                                       else timezone.localdate().replace(day=1))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    school = factory.SubFactory(SchoolFactory)
    joined_on = factory.LazyFunction(lambda: timezone.localdate().replace(year=2024))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@test.example")
    full_name = "Invited Person"
    role = Role.STAFF


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    filename = "register.csv"
    status = ImportJob.Status.DONE
    finished_at = factory.LazyFunction(timezone.now)
    summary = factory.LazyFunction(lambda: {"rows": 0, "created": 0, "updated": 0,
                                            "unchanged": 0, "rejected": 0, "errors": []})
