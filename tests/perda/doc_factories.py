"""Factories for the regulation document models."""
import factory

from perda.models import Regulation
from tests.factories import OrgUnitFactory, UserFactory
from workflows.models import OrgUnitKind


class RegulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulation

    kind = "perda"
    title = factory.Sequence(lambda n: f"Penyelenggaraan Kota Cerdas {n}")
    pemrakarsa = factory.SubFactory(OrgUnitFactory, kind=OrgUnitKind.PERANGKAT_DAERAH,
                                    name="Dinas Komunikasi dan Informatika")
    propemperda_year = 2026
    drafter = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("drafter")
