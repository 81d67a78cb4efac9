"""Factories for the shared engine's models. App-specific factories live beside their tests."""
import datetime as dt

import factory

from workflows.models import Assignment, Capacity, OrgUnit, OrgUnitKind, Position, PositionKind, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Uji"
    last_name = factory.Sequence(lambda n: f"Pegawai {n}")
    password = factory.django.Password("rahasia-uji")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = OrgUnitKind.KELURAHAN
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}/{o.code}" if o.parent else o.code)
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"position-{n}")
    title = factory.Sequence(lambda n: f"Jabatan {n}")
    kind = PositionKind.LURAH
    org_unit = factory.SubFactory(OrgUnitFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    position = factory.SubFactory(PositionFactory)
    user = factory.SubFactory(UserFactory)
    capacity = Capacity.DEFINITIF
    starts_on = dt.date(2026, 1, 1)
    ends_on = None
