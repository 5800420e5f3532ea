from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from helpline.accounts.models import Role
from helpline.accounts.services import user_create
from helpline.accounts.tests.factories import CentreFactory, consultant

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"


def test_login_and_logout(client):
    user = consultant()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_explained_in_the_users_language(client):
    user = consultant()
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client):
    user = consultant()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "bad"})
    # Even the right password is refused while locked out.
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client):
    user = consultant()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-better-passphrase",
            "new_password2": "a-much-better-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-better-passphrase")


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_user_create_gives_roles_their_powers():
    centre = CentreFactory()
    coord = user_create(
        username="coord", password=PASSWORD, role=Role.CENTRE_COORDINATOR, centre=centre
    )
    assert coord.is_staff and not coord.is_superuser
    assert coord.has_perm("consultations.change_topic")
    assert not coord.has_perm("consultations.delete_topic")
    assert not coord.has_perm("accounts.change_user")
    admin = user_create(username="boss", password=PASSWORD, role=Role.ADMINISTRATOR)
    assert admin.is_superuser
    with pytest.raises(ValueError):
        user_create(username="lost", password=PASSWORD, role=Role.CONSULTANT)
