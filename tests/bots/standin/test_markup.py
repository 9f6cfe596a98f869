"""Parse modes as pure functions: plain text, UTF-16 entity offsets and tdlib's error texts."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.helpers import escape_markdown

from bots.telegram.standin.errors import ApiError
from bots.telegram.standin.markup import parse
from bots.telegram.standin.validation import formatted_text


def _spans(entities: list[dict]) -> list[tuple]:
    return [(e["type"], e["offset"], e["length"]) for e in entities]


def test_html_offsets_are_utf16_units() -> None:
    """An emoji before an entity counts two units, as in the Bot API."""
    text, entities = parse("😀 <b>bra</b>", "HTML")
    assert text == "😀 bra"
    assert _spans(entities) == [("bold", 3, 3)]


def test_html_nesting_entities_and_attributes() -> None:
    """Nested tags, numeric and named entities, links, spoilers and pre with a language."""
    text, entities = parse(
        '<b>a<i>b</i></b> &lt;&#229;&#x3b8;&gt; &nbsp; <a href="https://x.no/?a=1&amp;b=2">l</a> '
        '<span class="tg-spoiler">s</span> <pre><code class="language-python">p</code></pre> '
        "<blockquote expandable>q</blockquote>",
        "HTML",
    )
    assert text == "ab <åθ> &nbsp; l s p q"
    assert _spans(entities) == [
        ("bold", 0, 2),
        ("italic", 1, 1),
        ("text_link", 15, 1),
        ("spoiler", 17, 1),
        ("pre", 19, 1),
        ("expandable_blockquote", 21, 1),
    ]
    assert entities[2]["url"] == "https://x.no/?a=1&b=2"
    assert entities[4]["language"] == "python"


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("æ<p>x</p>", 'Unsupported start tag "p" at byte offset 2'),
        ("<i>x</b>", 'Unmatched end tag at byte offset 4, expected "</i>", found "</b>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ],
)
def test_html_errors_name_the_byte_offset(html: str, detail: str) -> None:
    """Errors carry tdlib's wording with UTF-8 byte offsets."""
    with pytest.raises(ApiError) as caught:
        parse(html, "html")
    assert caught.value.description == f"Bad Request: can't parse entities: {detail}"


def test_markdown_v2_entities_links_and_escapes() -> None:
    """Bold, italic, underline, spoiler, code, links with escaped ')' and a blockquote."""
    text, entities = parse(
        r"*b* _i_ __u__ ||s|| `c\`` [l](https://x.no/a\)b) ```py" "\nx```\n>quote\n>more\nend",
        "MarkdownV2",
    )
    assert text == "b i u s c` l x\nquote\nmore\nend"
    assert _spans(entities) == [
        ("bold", 0, 1),
        ("italic", 2, 1),
        ("underline", 4, 1),
        ("spoiler", 6, 1),
        ("code", 8, 2),
        ("text_link", 11, 1),
        ("pre", 13, 1),
        ("blockquote", 15, 10),
    ]
    assert entities[5]["url"] == "https://x.no/a)b"
    assert entities[6]["language"] == "py"


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("Hei!", "Character '!' is reserved and must be escaped with the preceding '\\'"),
        ("a > b", "Character '>' is reserved and must be escaped with the preceding '\\'"),
        ("_kursiv", "Can't find end of Italic entity at byte offset 0"),
        ("[lenke](https://x.no", "Can't find end of a URL at byte offset 8"),
    ],
)
def test_markdown_v2_errors(text: str, detail: str) -> None:
    """Unescaped reserved characters and unclosed entities are refused."""
    with pytest.raises(ApiError) as caught:
        parse(text, "MarkdownV2")
    assert caught.value.description == f"Bad Request: can't parse entities: {detail}"


def test_legacy_markdown() -> None:
    """Legacy Markdown knows *, _, `, ``` and links, and refuses an unclosed entity."""
    text, entities = parse("*fet* og [lenke](https://x.no) 1.5!", "Markdown")
    assert text == "fet og lenke 1.5!"
    assert _spans(entities) == [("bold", 0, 3), ("text_link", 7, 5)]
    with pytest.raises(ApiError, match="Can't find end of the entity starting at byte offset 0"):
        parse("*fet", "Markdown")


def test_outer_whitespace_is_trimmed_and_entities_follow() -> None:
    """Telegram strips leading and trailing whitespace; entity offsets shift with the text."""
    text, entities = formatted_text("\n  <b>Hei</b>  \n", "HTML", None)
    assert text == "Hei"
    assert _spans(entities) == [("bold", 0, 3)]


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1)


@given(_TEXT)
def test_ptb_escaped_markdown_v2_parses_back_to_the_text(text: str) -> None:
    """Whatever PTB's escape_markdown(version=2) produces is accepted and means the raw text."""
    plain, entities = parse(escape_markdown(text, version=2), "MarkdownV2")
    assert (plain, entities) == (text, [])


@given(_TEXT)
def test_html_escaped_text_parses_back_to_the_text(text: str) -> None:
    """html.escape output is accepted in HTML mode and means the raw text."""
    plain, entities = parse(html.escape(text), "HTML")
    assert (plain, entities) == (text, [])
