import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from helpline.accounts.models import Centre, Role
from helpline.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a person who works with the system."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.CONSULTANT)
        parser.add_argument("--centre", help="Code of the centre (consultants, coordinators).")
        parser.add_argument("--password", help="Asked for when not given.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        centre = None
        if o["centre"]:
            try:
                centre = Centre.objects.get(code=o["centre"])
            except Centre.DoesNotExist as exc:
                codes = ", ".join(Centre.objects.values_list("code", flat=True))
                raise CommandError(f"No centre '{o['centre']}'. Centres: {codes}") from exc
        password = o["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(
                username=o["username"],
                password=password,
                role=o["role"],
                centre=centre,
                first_name=o["first_name"],
                last_name=o["last_name"],
            )
        except (ValueError, ValidationError, IntegrityError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
