from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from helpline.accounts.models import Role, User
from helpline.accounts.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_createuser_for_a_centre(capsys):
    CentreFactory(code="moscow")
    call_command(
        "createuser", "dilnoza", "--role", "consultant", "--centre", "moscow",
        "--password", "a-long-enough-password",
    )  # fmt: skip
    user = User.objects.get(username="dilnoza")
    assert user.role == Role.CONSULTANT and user.centre.code == "moscow"
    assert user.check_password("a-long-enough-password")
    assert "Created dilnoza" in capsys.readouterr().out


def test_createuser_names_the_unknown_centre():
    CentreFactory(code="spb")
    with pytest.raises(CommandError, match=r"No centre 'kazan'\. Centres: spb"):
        call_command("createuser", "x", "--centre", "kazan", "--password", "pw-pw-pw-pw-pw")


def test_createuser_refuses_a_consultant_without_centre():
    with pytest.raises(CommandError, match="belongs to a centre"):
        call_command("createuser", "x", "--role", "consultant", "--password", "pw-pw-pw-pw")
    assert not User.objects.filter(username="x").exists()
