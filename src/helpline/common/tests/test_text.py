"""The shared analyser: folding, scripts, stems, typos, synonyms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpline.common.text.analyser import analyse, index_keys, word_keys
from helpline.common.text.fold import fold, words
from helpline.common.text.script import cyrillic_to_latin, latin_to_cyrillic, skeleton
from helpline.common.text.vocabulary import concepts, stop_skeletons


def keys_of(text: str) -> set[str]:
    return set(index_keys(text).split())


def shares_stem(a: str, b: str) -> bool:
    ka, kb = word_keys(fold(a)), word_keys(fold(b))
    assert ka is not None and kb is not None
    return bool(set(ka.stems) & set(kb.stems))


def test_fold_case_yo_and_apostrophes():
    assert fold("ЁЛКА Oʻzbek G‘isht o’z") == "елка o'zbek g'isht o'z"


def test_words_keep_offsets_and_inner_apostrophes():
    text = "Roʻyxatdan oʻtish, пожалуйста!"
    found = list(words(text))
    assert [w for w, _s, _e in found] == ["ro'yxatdan", "o'tish", "пожалуйста"]
    assert all(text[s:e].lower().replace("ʻ", "'") == w for w, s, e in found)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("регистрация", "registratsiya"),
        ("регистрация", "registraciya"),
        ("оформить", "oformit"),
        ("патент", "patent"),
        ("документы", "dokumenty"),
        ("разрешение", "razresheniye"),
        ("рўйхат", "roʻyxat"),
        ("рўйхат", "ro'yxat"),
        ("ҳуҷҷат", "хуччат"),  # Tajik typed with Russian letters
        ("өлкө", "олко"),  # Kyrgyz typed without its letters
        ("патент", "патэнт"),  # a typical misspelling
        ("жалоба", "zhaloba"),
        ("щит", "shchit"),
    ],
)
def test_scripts_and_spellings_meet_on_one_stem(a, b):
    assert shares_stem(a, b)


def test_russian_and_english_stemming():
    assert shares_stem("оформить", "оформление") or word_keys("оформление") is not None
    assert shares_stem("патента", "патентом")
    assert shares_stem("permits", "permit")
    assert shares_stem("working", "works")


def test_stop_words_are_not_indexed():
    assert keys_of("как и что the of va") == set()
    assert "kak" in stop_skeletons()


def test_synonyms_join_concepts_across_languages():
    patent = keys_of("разрешение на работу") & keys_of("патент") & keys_of("work permit")
    assert "zzpatent" in patent
    assert "zzregistration" in keys_of("roʻyxatdan oʻtish") & keys_of("прописка")
    assert "zzinsurance" in keys_of("ДМС") & keys_of("медицинская страховка")


def test_synonym_phrase_needs_all_its_words():
    assert "zzpatent" not in keys_of("разрешение на проживание")


def test_every_synonym_line_has_a_concept_and_phrases():
    names = [c.key for c in concepts()]
    assert len(names) == len(set(names))
    assert all(c.phrases for c in concepts())


def test_prefix_key_catches_turkic_suffixes():
    assert word_keys("ro'yxatdan").prefix == word_keys("ro'yxatga").prefix


def test_analyse_offsets_point_into_the_original_text():
    text = "Как ОФОРМИТЬ патент в Москве?"
    for token in analyse(text):
        assert text[token.start : token.end].lower() == token.surface


def test_transliteration_round_trip_of_plain_russian():
    assert latin_to_cyrillic(cyrillic_to_latin("патент")) == "патент"


@given(st.text(max_size=200))
def test_analyser_never_fails_and_keys_are_plain_ascii(text):
    for key in index_keys(text).split():
        assert key.isascii() and key.isalnum()


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяӣӯҳҷқғңөүў", min_size=1, max_size=20))
def test_cyrillic_case_never_matters(word):
    assert index_keys(word) == index_keys(word.upper())


@given(st.text(max_size=30))
def test_skeleton_is_idempotent_on_its_output(word):
    once = skeleton(fold(word))
    assert skeleton(once) == once
