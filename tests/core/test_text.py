"""One text check for every form: stripped, no NUL, required when asked, within a limit."""

from cobench.core.text import TOO_LONG_BRIEF, WRITE_SOMETHING, clean_text


def test_text_is_stripped_and_kept_when_it_passes():
    errors: dict[str, list[str]] = {}
    assert clean_text(errors, "title", "  Stable salt  ", limit=20) == "Stable salt"
    assert errors == {}


def test_spacing_is_kept_when_asked():
    errors: dict[str, list[str]] = {}
    assert clean_text(errors, "agenda", "  1. Yields\n", limit=20, strip=False) == "  1. Yields\n"


def test_each_problem_is_said_under_its_field():
    errors: dict[str, list[str]] = {}
    clean_text(errors, "a", "C\x00C", limit=10)
    clean_text(errors, "b", "   ", limit=10, required=True)
    clean_text(errors, "c", "x" * 1001, limit=1000)
    clean_text(errors, "d", 42, limit=10)
    assert errors == {
        "a": ["Text may not contain NUL (0x00) characters."],
        "b": ["Required."],
        "c": ["At most 1,000 characters (this has 1,001)."],
        "d": ["Must be text."],
    }


def test_a_form_keeps_its_own_wording():
    errors: dict[str, list[str]] = {}
    clean_text(errors, "b", "", limit=10, required=True, required_message=WRITE_SOMETHING)
    clean_text(errors, "c", "x" * 1001, limit=1000, too_long=TOO_LONG_BRIEF)
    assert errors == {"b": ["Required: write something."], "c": ["At most 1,000 characters."]}


def test_nothing_counts_as_empty_text():
    errors: dict[str, list[str]] = {}
    assert clean_text(errors, "note", None, limit=10) == ""
    assert errors == {}
