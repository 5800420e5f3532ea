"""`helpline knowledge-import` and `helpline knowledge-export`, and the import service."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from helpline.accounts.tests.factories import consultant, coordinator
from helpline.knowledge.files.dataset import articles_as_data
from helpline.knowledge.files.errors import KnowledgeImportError
from helpline.knowledge.files.importing import knowledge_import
from helpline.knowledge.files.markdown import write_folder
from helpline.knowledge.files.spreadsheet import write_xlsx
from helpline.knowledge.models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleVersion,
    SearchDocument,
)
from helpline.knowledge.services import articles_save

from .test_files_markdown import DEMO, RU, SOURCE, sample_articles, tree

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return (
        Article.objects.count(),
        ArticleVersion.objects.count(),
        ArticleTranslation.objects.count(),
    )


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- Import ------------------------------------------------------------------------------


def test_import_a_folder(tmp_path):
    write_folder(sample_articles(), tmp_path)

    out, _err = run("knowledge-import", str(tmp_path))

    assert out == "Imported 2 articles: 3 versions, 8 translations.\n"
    assert counts() == (2, 3, 8)
    assert not Article.objects.filter(is_demo=True).exists()
    assert SearchDocument.objects.exists()  # the index is rebuilt
    assert articles_as_data() == sample_articles()


def test_import_twice_changes_nothing_the_second_time(tmp_path):
    write_folder(sample_articles(), tmp_path)
    run("knowledge-import", str(tmp_path))
    revisions = ArticleRevision.objects.count()

    run("knowledge-import", str(tmp_path))

    assert counts() == (2, 3, 8)
    assert ArticleRevision.objects.count() == revisions


def test_import_a_workbook_guessed_from_its_name(tmp_path):
    path = tmp_path / "Knowledge.XLSX"
    write_xlsx(sample_articles(), path)

    out, _err = run("knowledge-import", str(path), "--demo")

    assert out == "Imported 2 articles: 3 versions, 8 translations.\n"
    assert Article.objects.filter(is_demo=True).count() == 2


def test_import_a_zip_of_the_folder(tmp_path):
    write_folder(sample_articles(), tmp_path / "knowledge")
    archive = tmp_path / "knowledge.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path, content in tree(tmp_path / "knowledge").items():
            zipped.writestr(f"knowledge/{path}", content)

    out, _err = run("knowledge-import", str(archive))

    assert out.startswith("Imported 2 articles")
    assert articles_as_data() == sample_articles()


def test_a_zip_with_paths_outside_the_folder_is_refused(tmp_path):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as zipped:
        zipped.writestr(SOURCE, RU)
        zipped.writestr("../evil/2025-01-01.ru.md", RU)
    stream.seek(0)
    with translation.override("en"), pytest.raises(KnowledgeImportError) as caught:
        knowledge_import(actor=None, source=stream, kind="markdown")
    assert [str(p) for p in caught.value.problems] == [
        "the file: The archive holds a path with “..”: ../evil/2025-01-01.ru.md"
    ]
    assert counts() == (0, 0, 0)


def test_a_markdown_import_from_a_stream_needs_a_zip():
    with translation.override("en"), pytest.raises(KnowledgeImportError) as caught:
        knowledge_import(actor=None, source=io.BytesIO(b"---\nnot a zip"), kind="markdown")
    assert [str(p) for p in caught.value.problems] == ["the file: This is not a valid zip file."]


def test_import_errors_are_printed_one_per_line_and_nothing_is_written(tmp_path):
    articles_save(actor=None, articles=sample_articles()[:1])
    before = counts()
    write_folder(sample_articles(), tmp_path)
    ru = tmp_path / "patent-obtain/2025-01-01.ru.md"
    lines = ru.read_text(encoding="utf-8").split("\n")
    line = lines.index("topics: [health.insurance, patent.obtain]") + 1
    lines[line - 1] = "topics: [patent.xyz]"
    ru.write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "patent-obtain/2026-01-01.uz.md").write_bytes(
        "---\nquestion: Патент".encode("cp1251")
    )

    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("knowledge-import", str(tmp_path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == (
        f"patent-obtain/2025-01-01.ru.md, line {line}: topics: unknown topic code 'patent.xyz'\n"
        "patent-obtain/2026-01-01.uz.md, line 2: the file is not UTF-8 text: save it in the "
        "UTF-8 encoding\n"
    )
    assert str(caught.value) == "Nothing was imported: 2 problems found."
    assert counts() == before


def test_import_refuses_unknown_paths_and_formats(tmp_path):
    with translation.override("en"):
        with pytest.raises(CommandError, match="does not exist"):
            call_command("knowledge-import", str(tmp_path / "missing"))
        (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
        with pytest.raises(CommandError, match="give --format md or --format xlsx"):
            call_command("knowledge-import", str(tmp_path / "notes.txt"))
        err = io.StringIO()
        with pytest.raises(CommandError, match="1 problem found"):
            call_command(
                "knowledge-import", str(tmp_path / "notes.txt"), "--format", "xlsx", stderr=err
            )
    assert "notes.txt: the file is not an XLSX workbook" in err.getvalue()


def test_import_the_demo_articles():
    assert DEMO.is_dir() and any(DEMO.iterdir()), "the demo knowledge base is missing"
    out, err = run("knowledge-import", str(DEMO), "--demo")
    assert err == ""
    assert out.startswith("Imported ")
    assert Article.objects.filter(is_demo=True).count() == Article.objects.count() > 0


# --- Who may import ----------------------------------------------------------------------


def test_a_coordinator_may_import_a_consultant_may_not(tmp_path):
    write_folder(sample_articles(), tmp_path)
    with pytest.raises(PermissionDenied):
        knowledge_import(actor=consultant(), source=tmp_path, kind="markdown")
    assert counts() == (0, 0, 0)

    user = coordinator()
    summary = knowledge_import(actor=user, source=tmp_path, kind="markdown")

    assert summary.articles == 2
    assert ArticleRevision.objects.filter(saved_by=user).count() == 3


# --- Export ------------------------------------------------------------------------------


def test_export_markdown_then_import_into_an_empty_database(tmp_path):
    articles_save(actor=None, articles=sample_articles())

    out, _err = run("knowledge-export", str(tmp_path / "a"), "--format", "md")
    assert out == f"Exported 2 articles to {tmp_path / 'a'}.\n"
    Article.objects.all().delete()
    run("knowledge-import", str(tmp_path / "a"))
    run("knowledge-export", str(tmp_path / "b"))

    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert (tmp_path / "a" / SOURCE).exists()


def test_export_xlsx_then_import_into_an_empty_database(tmp_path):
    articles_save(actor=None, articles=sample_articles())

    run("knowledge-export", str(tmp_path / "out" / "kb.xlsx"))
    Article.objects.all().delete()
    out, _err = run("knowledge-import", str(tmp_path / "out" / "kb.xlsx"), "--format", "xlsx")

    assert out == "Imported 2 articles: 3 versions, 8 translations.\n"
    assert articles_as_data() == sample_articles()


def test_export_refuses_a_file_for_a_folder(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="is a file, not a folder"):
        call_command("knowledge-export", str(tmp_path / "file"), "--format", "md")
    with translation.override("en"), pytest.raises(CommandError, match="is a folder, not a file"):
        call_command("knowledge-export", str(tmp_path), "--format", "xlsx")


def test_export_of_an_empty_knowledge_base(tmp_path):
    out, _err = run("knowledge-export", str(tmp_path / "empty"))
    assert out.startswith("Exported 0 articles")
    assert Path(tmp_path / "empty").is_dir()
