"""Text normalisation shared by every search in the application.

People write to a hotline in five languages, in two scripts, with typos. Everything that
is searched (articles, directory entries, ...) and every query go through the same
analyser, so that "patent kak oformit", "патэнт как оформить" and "Как оформить
патент?" meet on the same index keys:

- `fold`: case and Unicode folding, apostrophe variants, ё → е;
- `script`: Cyrillic ↔ Latin transliteration and the script-free skeleton of a word;
- `stemming`: Russian and English Snowball stems;
- `vocabulary`: stop words and synonyms, kept as data files in `common/data/`;
- `analyser`: text → words with their index keys; queries → groups of alternatives.
"""
