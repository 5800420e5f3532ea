"""The directory's search index: documents, weekly open intervals, term counts, and the
full-text index of the documents in each database's own engine.

SQLite: an FTS5 table with external content over the documents' keys, facets and hours,
kept in step by triggers. PostgreSQL: three generated tsvector columns (the title keys
with the facets; everything but the hours; the hours, kept apart so that the others stay
small enough to be read inline), each with a GIN index, and `sort_key` in collation "C"
so that results are ordered byte by byte as on SQLite. The keys are already folded,
transliterated and stemmed, so the plain tokenizers (`unicode61`, `simple`) are enough.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    """CREATE VIRTUAL TABLE directory_search_fts USING fts5(
        keys_title, keys_body, facets, hours,
        content='directory_servicesearchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail='column'
    )""",
    """CREATE TRIGGER directory_search_fts_insert AFTER INSERT ON directory_servicesearchdocument
    BEGIN
        INSERT INTO directory_search_fts(rowid, keys_title, keys_body, facets, hours)
        VALUES (new.id, new.keys_title, new.keys_body, new.facets, new.hours);
    END""",
    """CREATE TRIGGER directory_search_fts_delete AFTER DELETE ON directory_servicesearchdocument
    BEGIN
        INSERT INTO directory_search_fts(
            directory_search_fts, rowid, keys_title, keys_body, facets, hours
        ) VALUES ('delete', old.id, old.keys_title, old.keys_body, old.facets, old.hours);
    END""",
    """CREATE TRIGGER directory_search_fts_update AFTER UPDATE ON directory_servicesearchdocument
    BEGIN
        INSERT INTO directory_search_fts(
            directory_search_fts, rowid, keys_title, keys_body, facets, hours
        ) VALUES ('delete', old.id, old.keys_title, old.keys_body, old.facets, old.hours);
        INSERT INTO directory_search_fts(rowid, keys_title, keys_body, facets, hours)
        VALUES (new.id, new.keys_title, new.keys_body, new.facets, new.hours);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER directory_search_fts_update",
    "DROP TRIGGER directory_search_fts_delete",
    "DROP TRIGGER directory_search_fts_insert",
    "DROP TABLE directory_search_fts",
]
POSTGRESQL = [
    'ALTER TABLE directory_servicesearchdocument ALTER COLUMN sort_key'
    ' TYPE varchar(250) COLLATE "C"',
    """ALTER TABLE directory_servicesearchdocument ADD COLUMN title_vector tsvector
        GENERATED ALWAYS AS (
            to_tsvector('simple', keys_title || ' ' || facets)
        ) STORED""",
    """ALTER TABLE directory_servicesearchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            to_tsvector('simple', keys_title || ' ' || keys_body || ' ' || facets)
        ) STORED""",
    """ALTER TABLE directory_servicesearchdocument ADD COLUMN hours_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', hours)) STORED""",
    """CREATE INDEX directory_search_title_vector ON directory_servicesearchdocument
        USING gin (title_vector)""",
    """CREATE INDEX directory_search_vector ON directory_servicesearchdocument
        USING gin (search_vector)""",
    """CREATE INDEX directory_search_hours_vector ON directory_servicesearchdocument
        USING gin (hours_vector)""",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX directory_search_hours_vector",
    "DROP INDEX directory_search_vector",
    "DROP INDEX directory_search_title_vector",
    "ALTER TABLE directory_servicesearchdocument DROP COLUMN hours_vector",
    "ALTER TABLE directory_servicesearchdocument DROP COLUMN search_vector",
    "ALTER TABLE directory_servicesearchdocument DROP COLUMN title_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run



class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0002_categories'),
    ]

    operations = [
        migrations.CreateModel(
            name='ServiceSearchState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(default='', max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name='ServiceSearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64, unique=True)),
                ('documents', models.PositiveIntegerField(default=0)),
                ('title_documents', models.PositiveIntegerField(default=0)),
                ('label', models.CharField(blank=True, max_length=250)),
            ],
        ),
        migrations.CreateModel(
            name='ServiceSearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_key', models.CharField(max_length=250)),
                ('is_national', models.BooleanField()),
                ('facets', models.TextField()),
                ('keys_title', models.TextField()),
                ('keys_body', models.TextField()),
                ('keys_name', models.TextField()),
                ('hours', models.TextField()),
                ('service', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='directory.service')),
            ],
        ),
        migrations.CreateModel(
            name='ServiceOpenInterval',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('place', models.CharField(blank=True, max_length=100)),
                ('zone', models.CharField(max_length=60)),
                ('starts', models.PositiveSmallIntegerField()),
                ('ends', models.PositiveSmallIntegerField()),
                ('document', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='open_intervals', to='directory.servicesearchdocument')),
            ],
        ),
        migrations.AddIndex(
            model_name='servicesearchdocument',
            index=models.Index(fields=['sort_key', 'id'], name='directory_search_sort'),
        ),
        migrations.AddIndex(
            model_name='serviceopeninterval',
            index=models.Index(fields=['document', 'starts', 'ends'], name='directory_open_interval'),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
