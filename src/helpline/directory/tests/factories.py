from __future__ import annotations

import datetime

import factory

from helpline.common.models import Language
from helpline.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    description = "A partner organisation."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Help for migrants."
    cost = "free"
    verified_on = factory.LazyFunction(datetime.date.today)

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """categories=["housing", ...] (codes); default: legal aid."""
        if create:
            codes = extracted if extracted is not None else ["legal_aid"]
            obj.categories.set(ServiceCategory.objects.filter(code__in=codes))

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """languages=["ru", "uz"] (codes); default: Russian."""
        if create:
            codes = extracted if extracted is not None else ["ru"]
            obj.languages.set(Language.objects.filter(code__in=codes))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Office {n}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = factory.Sequence(lambda n: f"{n} Lenin Street")
    city = "Moscow"
    state_province = "Moscow"
    postal_code = "101000"
    country = "RU"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    number = factory.Sequence(lambda n: f"+7 495 000-{n % 100:02d}-{n // 100 % 100:02d}")
    type = "voice"


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    byday = "MO,TU,WE,TH,FR"
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(18, 0)


def service_in_city(
    city: str = "Moscow", *, address: str = "1 Lenin Street", **kwargs: object
) -> Service:
    """A service with one location in `city`, a phone and weekday hours."""
    service: Service = ServiceFactory(**kwargs)
    location = LocationFactory(organization=service.organization)
    AddressFactory(location=location, city=city, address_1=address)
    ServiceAtLocation.objects.create(service=service, location=location)
    PhoneFactory(service=service)
    ScheduleFactory(service=service)
    return service
