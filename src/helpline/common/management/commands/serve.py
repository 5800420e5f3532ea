from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply migrations and serve the application (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--reload", action="store_true", help="Restart when code changes.")

    def handle(self, *args: Any, address: str, reload: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Helpline: http://{address}/  (Ctrl+C to stop)")
        call_command("runserver", address, use_reloader=reload)
