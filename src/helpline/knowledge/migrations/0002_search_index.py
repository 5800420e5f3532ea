"""The full-text index of search documents, in each database's own engine.

SQLite: an FTS5 table with external content, kept in step by triggers. PostgreSQL: two
generated tsvector columns, one of the question and phrasings and one of everything,
each with a GIN index (a weight-restricted query on one column would make PostgreSQL
re-read every candidate's vector to check the weights). Both
index the analyser's keys, which are already folded, transliterated and stemmed, so the
plain tokenizers (`unicode61`, `simple`) are all that is needed.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
        keys_title, keys_body,
        content='knowledge_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail='column'
    )""",
    """CREATE TRIGGER knowledge_search_fts_insert AFTER INSERT ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_search_fts(rowid, keys_title, keys_body)
        VALUES (new.id, new.keys_title, new.keys_body);
    END""",
    """CREATE TRIGGER knowledge_search_fts_delete AFTER DELETE ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, keys_title, keys_body)
        VALUES ('delete', old.id, old.keys_title, old.keys_body);
    END""",
    """CREATE TRIGGER knowledge_search_fts_update AFTER UPDATE ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, keys_title, keys_body)
        VALUES ('delete', old.id, old.keys_title, old.keys_body);
        INSERT INTO knowledge_search_fts(rowid, keys_title, keys_body)
        VALUES (new.id, new.keys_title, new.keys_body);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER knowledge_search_fts_update",
    "DROP TRIGGER knowledge_search_fts_delete",
    "DROP TRIGGER knowledge_search_fts_insert",
    "DROP TABLE knowledge_search_fts",
]
POSTGRESQL = [
    """ALTER TABLE knowledge_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', keys_title || ' ' || keys_body)) STORED""",
    """ALTER TABLE knowledge_searchdocument ADD COLUMN title_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', keys_title)) STORED""",
    "CREATE INDEX knowledge_search_vector ON knowledge_searchdocument USING gin (search_vector)",
    "CREATE INDEX knowledge_title_vector ON knowledge_searchdocument USING gin (title_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX knowledge_title_vector",
    "DROP INDEX knowledge_search_vector",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN title_vector",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_articles")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
