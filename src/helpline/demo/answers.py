"""Answers given in the demo: invented contacts linked to the demo articles they used.

About a third of the invented consultations get one article (sometimes two) of one of
their first-level topics, in the language of the consultation when the article has it,
choosing the version valid on the day of the contact.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from helpline.common.models import Language
from helpline.consultations.models import Consultation, Topic
from helpline.knowledge.models import (
    KNOWLEDGE_LANGUAGES,
    AnswerGiven,
    Article,
    ArticleVersion,
    ReviewStatus,
)
from helpline.knowledge.validity import version_on

SHARE = 0.35
BATCH = 5_000


def _versions_by_bit() -> dict[int, list[list[ArticleVersion]]]:
    """For each first-level topic bit, the published versions of each article under it."""
    published = ArticleVersion.objects.filter(review_status=ReviewStatus.PUBLISHED)
    by_article: dict[object, list[ArticleVersion]] = defaultdict(list)
    for version in published:
        by_article[version.article_id].append(version)
    bits = dict(Topic.objects.filter(parent=None, bit__isnull=False).values_list("pk", "bit"))
    by_bit: dict[int, list[list[ArticleVersion]]] = defaultdict(list)
    for article in Article.objects.prefetch_related("topics"):
        roots = {t.parent_id or t.pk for t in article.topics.all()}
        for root in roots:
            if root in bits and by_article.get(article.pk):
                by_bit[bits[root]].append(by_article[article.pk])
    return by_bit


@transaction.atomic
def answers_given_generate(*, seed: int) -> int:
    """Link invented consultations without answers to demo articles. Returns links made."""
    rng = random.Random(f"{seed}-answers")
    by_bit = _versions_by_bit()
    if not by_bit:
        return 0
    languages = dict(Language.objects.values_list("pk", "code"))
    rows = (
        Consultation.objects.filter(non_data_type__isnull=True, answers_given__isnull=True)
        .values_list("pk", "topic_mask", "started_at", "language_id")
        .order_by("started_at")
    )
    made = 0
    batch: list[AnswerGiven] = []
    for pk, mask, started_at, language_id in rows.iterator(chunk_size=BATCH):
        if rng.random() >= SHARE:
            continue
        bits = [bit for bit in by_bit if mask & (1 << bit)]
        if not bits:
            continue
        day: date = timezone.localtime(started_at).date()
        language = languages.get(language_id, "ru")
        chosen = set()
        for _n in range(1 if rng.random() < 0.8 else 2):
            versions = version_on(rng.choice(by_bit[rng.choice(bits)]), day)
            if versions is None or versions.pk in chosen:
                continue
            chosen.add(versions.pk)
            batch.append(
                AnswerGiven(
                    consultation_id=pk,
                    version=versions,
                    language=language if language in KNOWLEDGE_LANGUAGES else "ru",
                )
            )
        if len(batch) >= BATCH:
            AnswerGiven.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    AnswerGiven.objects.bulk_create(batch)
    return made + len(batch)
