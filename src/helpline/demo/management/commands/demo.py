"""``helpline demo``: the demo network, its logins and invented contacts."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpline.demo import answers, articles, generator, network, referrals
from helpline.demo.directory_data import DirectoryDataError, directory_load
from helpline.directory.models import Referral, Service
from helpline.knowledge.models import Article


class Command(BaseCommand):
    help = (
        f"Create the demo centres, one login per role (password {network.DEMO_PASSWORD}) "
        "and COUNT invented contacts over the last 24 months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count", type=int, default=generator.DEFAULT_COUNT,
            help="How many contacts to invent (default %(default)s).",
        )  # fmt: skip
        parser.add_argument(
            "--seed", type=int, default=generator.DEFAULT_SEED,
            help="Seed of the random draws: same seed, same data (default %(default)s).",
        )  # fmt: skip
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing (but list the logins) if the database already has contacts.",
        )  # fmt: skip
        parser.add_argument(
            "--batch", type=int, default=generator.DEFAULT_BATCH,
            help="Contacts inserted per transaction (default %(default)s).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        count, batch = options["count"], options["batch"]
        if count < 0:
            raise CommandError("--count cannot be negative.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        began = time.monotonic()
        made, logins = generator.run(
            count=count,
            seed=options["seed"],
            if_empty=options["if_empty"],
            batch_size=batch,
            progress=sys.stderr if count >= generator.PROGRESS_FROM else None,
        )
        if options["if_empty"] and made == 0 and count:
            self.stdout.write("The database already has contacts: no demo data added.")
        else:
            self.stdout.write(f"Demo data: {made:,} contacts in {time.monotonic() - began:.1f} s.")
        if not (options["if_empty"] and Article.objects.exists()):
            loaded = articles.knowledge_load()
            self.stdout.write(
                f"Knowledge base: {loaded} demo articles (demo content: verify with a lawyer)."
            )
        if made:
            linked = answers.answers_given_generate(seed=options["seed"])
            self.stdout.write(f"Answers given: {linked:,} links from contacts to articles.")
        if not (options["if_empty"] and Service.objects.exists()):
            try:
                services = directory_load()
            except DirectoryDataError as exc:
                raise CommandError(f"The demo directory files are invalid:\n{exc}") from exc
            self.stdout.write(f"Directory: {services} demo services (invented entries).")
        if made or not Referral.objects.exists():
            referred = referrals.referrals_generate(seed=options["seed"])
            self.stdout.write(f"Referrals: {referred:,} demo referrals with their follow-ups.")
        if logins:
            self.stdout.write("")
            self.stdout.write("Demo logins (for a demo only: never on a real server):")
            self.stdout.write(network.logins_table(logins))
