"""``helpline directory-search "QUERY"``: the services a consultant would find, for operators
and evaluation."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.html import strip_tags

from helpline.accounts.models import Role, User
from helpline.directory.search.selectors import MAX_LIMIT, ServiceSearchQuery, service_search


def _reader() -> User:
    """Searches run with the rights of a consultant."""
    return User(username="directory-search", role=Role.CONSULTANT, is_active=True)


class Command(BaseCommand):
    help = "Search the directory as a consultant would and print the services found."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "query", nargs="?", default="", help="Words in any language or script (may be empty)."
        )
        parser.add_argument("--city", default="", help="Services in this city (by name).")
        parser.add_argument(
            "--category", default="", help="A category code (with its subcategories)."
        )
        parser.add_argument("--language", default="", help="A language code the staff speak.")
        parser.add_argument("--citizenship", default="", help="The caller's citizenship, ISO code.")
        parser.add_argument("--open-now", action="store_true", help="Only services open now.")
        parser.add_argument("--free", action="store_true", help="Only free services.")
        parser.add_argument("--limit", type=int, default=10, help="How many (default 10).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["limit"] <= MAX_LIMIT:
            raise CommandError(f"--limit must be between 1 and {MAX_LIMIT}.")
        result = service_search(
            actor=_reader(),
            query=ServiceSearchQuery(
                text=options["query"],
                city=options["city"],
                category=options["category"],
                language=options["language"],
                citizenship=options["citizenship"],
                open_now=options["open_now"],
                free_only=options["free"],
                limit=options["limit"],
            ),
        )
        rows = [
            {
                "rank": rank,
                "id": str(hit.service_id),
                "name": hit.card.name,
                "organization": hit.card.organization,
                "local": hit.is_local,
                "national": hit.is_national,
                "open_now": hit.open_now,
                "temporarily_closed": hit.is_temporarily_closed,
                "score": round(hit.score, 3) if hit.score is not None else None,
                "cities": hit.card.cities,
                "phones": hit.card.phones,
                "hours": hit.card.hours,
                "categories": hit.card.categories,
                "snippet": strip_tags(hit.snippet),
            }
            for rank, hit in enumerate(result.hits, start=1)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No services found.")
        for row in rows:
            marks = [
                mark
                for mark, on in (
                    ("national", row["national"]),
                    ("open now", row["open_now"]),
                    ("temporarily closed", row["temporarily_closed"]),
                )
                if on
            ]
            self.stdout.write(
                f"{row['rank']:>2}. {row['name']} — {row['organization']}"
                f"{'  [' + ', '.join(marks) + ']' if marks else ''}\n"
                f"    {'; '.join(row['cities'])}  {'; '.join(row['phones'])}"
            )
        if result.has_more:
            self.stdout.write(f"(more than {options['limit']}; narrow the search or raise --limit)")
