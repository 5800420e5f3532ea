from __future__ import annotations

import factory

from helpline.accounts.models import Centre, Role, User


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"centre-{n}")
    name = factory.Sequence(lambda n: f"Centre {n}")
    city = "Moscow"
    organisation = "Partner NGO"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CONSULTANT
    centre = factory.SubFactory(CentreFactory)
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


def consultant(centre: Centre | None = None, **kw: object) -> User:
    return UserFactory(role=Role.CONSULTANT, centre=centre or CentreFactory(), **kw)


def coordinator(centre: Centre | None = None, **kw: object) -> User:
    return UserFactory(
        role=Role.CENTRE_COORDINATOR, centre=centre or CentreFactory(), is_staff=True, **kw
    )


def national(**kw: object) -> User:
    return UserFactory(role=Role.NATIONAL_COORDINATOR, centre=None, **kw)


def administrator(**kw: object) -> User:
    return UserFactory(role=Role.ADMINISTRATOR, centre=None, is_staff=True, is_superuser=True, **kw)
