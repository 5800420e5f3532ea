"""Every URL × every role, a user of another centre, an inactive user and anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from helpline.accounts.tests.factories import (
    CentreFactory,
    administrator,
    consultant,
    coordinator,
    national,
)
from helpline.consultations.tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

ACTORS = ["consultant", "coordinator", "other_consultant", "other_coordinator", "national",
          "admin", "inactive", "anonymous"]  # fmt: skip
LOGIN = "login"  # redirect to the login page

# url name, method, expected per actor (in ACTORS order)
MATRIX = [
    ("home", "get", [200, 200, 200, 200, 200, 200, LOGIN, LOGIN]),
    ("consultations:list", "get", [200, 200, 200, 200, 200, 200, LOGIN, LOGIN]),
    ("consultations:create", "get", [200, 200, 200, 200, 403, 200, LOGIN, LOGIN]),
    ("consultations:non_data", "post", [302, 302, 302, 302, 403, 403, LOGIN, LOGIN]),
    ("consultations:caller_history", "post", [200, 200, 200, 200, 403, 200, LOGIN, LOGIN]),
    ("consultations:detail", "get", [200, 200, 404, 404, 200, 200, LOGIN, LOGIN]),
    ("consultations:edit", "get", [200, 200, 404, 404, 403, 200, LOGIN, LOGIN]),
    ("consultations:follow_up_done", "post", [302, 302, 404, 404, 403, 302, LOGIN, LOGIN]),
    ("accounts:password_change", "get", [200, 200, 200, 200, 200, 200, LOGIN, LOGIN]),
    ("admin:index", "get", ["admin", 200, "admin", 200, "admin", 200, "admin", "admin"]),
]


@pytest.fixture
def world():
    home, other = CentreFactory(code="home"), CentreFactory(code="other")
    record = ConsultationFactory(
        centre=home, follow_up_needed=True, follow_up_due=timezone.localdate()
    )
    return {
        "record": record,
        "consultant": consultant(centre=home),
        "coordinator": coordinator(centre=home),
        "other_consultant": consultant(centre=other),
        "other_coordinator": coordinator(centre=other),
        "national": national(),
        "admin": administrator(),
        "inactive": consultant(centre=home, is_active=False),
        "anonymous": None,
    }


@pytest.mark.parametrize(("name", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_access_matrix(client, world, name, method, expected):
    record = world["record"]
    args = [record.pk] if name in (
        "consultations:detail", "consultations:edit", "consultations:follow_up_done"
    ) else []  # fmt: skip
    url = reverse(name, args=args)
    data = {"non_data_type": "silent", "caller_phone": "+79161234567"}
    results = []
    for actor_name in ACTORS:
        client.logout()
        actor = world[actor_name]
        if actor is not None:
            client.force_login(actor, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post(url, data) if method == "post" else client.get(url)
        if response.status_code == 302 and "/accounts/login/" in response["Location"]:
            results.append(LOGIN)
        elif response.status_code == 302 and "/admin/login/" in response["Location"]:
            results.append("admin")
        else:
            results.append(response.status_code)
    assert dict(zip(ACTORS, results, strict=True)) == dict(zip(ACTORS, expected, strict=True))


def test_other_centre_rows_never_appear_in_the_list(client, world):
    client.force_login(world["other_consultant"])
    page = client.get(reverse("consultations:list"), {"period": "all"}).content.decode()
    assert str(world["record"].pk) not in page
    client.force_login(world["consultant"])
    page = client.get(reverse("consultations:list"), {"period": "all"}).content.decode()
    assert str(world["record"].pk) in page
