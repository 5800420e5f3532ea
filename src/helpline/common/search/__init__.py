"""What every search of the application shares, whatever it searches.

The analyser (`common.text`) makes the keys; this package holds what is built on them and
knows nothing of the documents searched: the in-memory `vocabulary` of an index (key
counts, near spellings, reloading when the index changes), `query` (what was typed →
groups of alternative keys, with typo correction), `expressions` (those groups as an FTS5
or tsquery expression), `ranking` (one score, the same on both databases), `terms` (the
key counts kept in step with the index) and `snippets` (highlighted passages).

The knowledge base (`knowledge.search`) and the directory (`directory.search`) each keep
their own documents, tables and retrieval on top of these.
"""
