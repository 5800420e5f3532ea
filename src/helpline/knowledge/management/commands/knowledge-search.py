"""``helpline knowledge-search "QUERY"``: the ranked answers, for operators and evaluation."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.html import strip_tags

from helpline.accounts.models import Role, User
from helpline.consultations.models import Topic
from helpline.knowledge.models import KNOWLEDGE_LANGUAGES
from helpline.knowledge.selectors import knowledge_search


def _reader() -> User:
    """Searches run with the rights of a consultant: published answers only."""
    return User(username="knowledge-search", role=Role.CONSULTANT, is_active=True)


class Command(BaseCommand):
    help = "Search the knowledge base as a consultant would and print the ranked answers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="What the caller asks, in any language or script.")
        parser.add_argument("--lang", choices=KNOWLEDGE_LANGUAGES, default="",
                            help="Search only texts in this language.")  # fmt: skip
        parser.add_argument("--citizenship", default="",
                            help="The caller's citizenship, ISO code (UZ, KG, ...).")  # fmt: skip
        parser.add_argument("--topic", default="", help="Only this topic code.")
        parser.add_argument(
            "--date", default="", help="Answers valid on this date (YYYY-MM-DD; default today)."
        )
        parser.add_argument("--top", type=int, default=5, help="How many (default 5).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        on_date = None
        if options["date"]:
            try:
                on_date = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: not a date: {options['date']!r}") from exc
        topic = None
        if options["topic"]:
            topic = Topic.objects.filter(code=options["topic"]).first()
            if topic is None:
                raise CommandError(f"--topic: unknown topic code {options['topic']!r}")
        if options["top"] < 1:
            raise CommandError("--top must be at least 1.")
        hits = knowledge_search(
            actor=_reader(),
            text=options["query"],
            on_date=on_date,
            language=options["lang"],
            citizenship=options["citizenship"],
            topic=topic,
            top=options["top"],
        )
        rows = [
            {
                "rank": rank,
                "slug": hit.slug,
                "language": hit.language,
                "topics": hit.topic_codes,
                "score": round(hit.score, 3),
                "question": strip_tags(hit.question),
                "valid_from": hit.valid_from.isoformat(),
                "valid_until": hit.valid_until.isoformat() if hit.valid_until else None,
            }
            for rank, hit in enumerate(hits, start=1)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No answers found.")
        for row in rows:
            self.stdout.write(
                f"{row['rank']:>2}. [{row['language']}] {row['slug']}  "
                f"({', '.join(row['topics'])})  {row['score']}\n    {row['question']}"
            )
