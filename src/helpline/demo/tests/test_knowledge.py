"""The demo knowledge base and the answers given by the invented contacts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from helpline.consultations.models import Consultation
from helpline.knowledge.models import AnswerGiven, Article, ArticleTranslation, ArticleVersion
from helpline.knowledge.validity import version_on

pytestmark = pytest.mark.django_db


def test_demo_knowledge_base_and_the_answers_given_with_it():
    out = StringIO()
    call_command("demo", count=600, seed=3, stdout=out)
    demo = out.getvalue()
    assert "demo articles" in demo
    articles = Article.objects.all()
    assert articles.count() >= 80 and all(a.is_demo for a in articles)
    roots = {
        t.code.split(".")[0] for a in articles.prefetch_related("topics") for t in a.topics.all()
    }
    assert roots >= {
        "registration", "patent", "documents", "employment", "wages", "tax", "health", "social",
        "education", "legal_status", "family", "trafficking", "police", "return",
        "integration", "psychosocial", "other",
    }  # fmt: skip
    languages = ArticleTranslation.objects.values_list("version__article", "language")
    by_article: dict[object, set[str]] = {}
    for article, language in languages:
        by_article.setdefault(article, set()).add(language)
    assert all({"ru", "en"} <= found for found in by_article.values())
    assert sum(found >= {"uz", "tg", "ky"} for found in by_article.values()) >= 25
    two_versions = [a for a in articles if a.versions.count() >= 2]
    assert len(two_versions) >= 5

    # About a third of the invented contacts used an article of their topic, valid that day.
    given = list(
        AnswerGiven.objects.select_related("consultation", "version").prefetch_related(
            "version__article__topics", "consultation__topics"
        )
    )
    data_contacts = Consultation.objects.filter(non_data_type__isnull=True).count()
    assert 0.2 * data_contacts < len({g.consultation_id for g in given}) < 0.5 * data_contacts
    for answer in given:
        consultation = answer.consultation
        article_roots = {t.root.pk for t in answer.version.article.topics.all()}
        consultation_roots = {t.root.pk for t in consultation.topics.all()}
        assert article_roots & consultation_roots
        day = timezone.localtime(consultation.started_at).date()
        versions = ArticleVersion.objects.filter(article=answer.version.article_id)
        assert version_on(list(versions), day) == answer.version
