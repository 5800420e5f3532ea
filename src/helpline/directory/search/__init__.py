"""Search of the directory: services by words in any language, script or spelling, and by
city, category, language spoken, citizenship, "open now" and cost (docs/adr/0004).

`indexing` keeps one search document per service that may be offered (the analyser's
keys, filter values as `facets` keys, weekly `hours`); `vocabulary` holds the index's key
counts in memory; `engine` chooses how to read (`backends`: SQLite FTS5 or PostgreSQL
full text) and ranks with the knowledge base's shared parts (`common.search`); `cards`
reads what the hits' cards show; `selectors` is the entry point (`service_search`), and
`forms` reads a search from a query string.
"""
