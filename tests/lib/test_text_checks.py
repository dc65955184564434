"""One rule for what a name may hold (kb.lib.text_checks), used by forms, serializers and services."""

from __future__ import annotations

import pytest

from kb.lib.errors import InvalidInput
from kb.lib.text_checks import bad_character, bad_name
from kb.lib.validation import clean_text

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)]
INVISIBLE_ONLY = ["\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2060 \u00a0", "\u3164", "\u00ad\u200b"]


@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_a_bidi_control_anywhere_in_a_name_is_refused_by_code_point(char):
    problem = bad_name(f"Refund{char} policy")
    assert problem is not None and f"U+{ord(char):04X}" in problem and "bidirectional" in problem


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_a_name_of_only_invisible_characters_is_refused(text):
    assert bad_name(text) == "Contains only invisible characters."


@pytest.mark.parametrize(
    "text", ["Reset 2FA", "密码重设", "إعادة تعيين", "Café au lait", "a\u200db", "👩‍💻 on-call"]
)
def test_ordinary_names_in_any_script_pass(text):
    assert bad_name(text) is None


def test_tab_and_newline_are_fine_in_free_text_but_other_controls_are_not():
    assert bad_character("line one\n\tline two\r\n") is None
    assert "U+0007" in (bad_character("ring\x07") or "")
    assert "surrogate" in (bad_character("x\ud800") or "")


def test_titles_cleaned_by_services_refuse_bidi_controls():
    with pytest.raises(InvalidInput) as caught:
        clean_text("Pay\u202eout", field="title", max_len=200, single_line=True)
    assert caught.value.field == "title" and "bidirectional" in caught.value.message


def test_invisible_only_title_is_refused_even_when_cleaning_folds_spaces():
    with pytest.raises(InvalidInput) as caught:
        clean_text("\u200b \u200b", field="title", max_len=200, single_line=True, required=True)
    assert caught.value.field == "title"
