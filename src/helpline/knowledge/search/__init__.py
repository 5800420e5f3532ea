"""Search of the knowledge base: one entry point, two database engines.

`indexing` turns published translations into search documents of analyser keys;
`vocabulary` keeps the keys' document frequencies in memory for ranking and typos;
`query` turns what a consultant typed into groups of alternative keys; `backends` asks
SQLite FTS5 or PostgreSQL full text for candidates; `ranking` orders them the same way
on both; `snippets` highlights what matched.
"""
