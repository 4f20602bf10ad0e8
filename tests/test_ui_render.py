"""The chat's Markdown, drawn from `Answer`s: sources, the closest coverage, escaping."""

from __future__ import annotations

import pytest

from qa import Answer, Citation
from ui import Turn, chat_messages, earlier_turns, escape_markdown, render_answer

pytestmark = pytest.mark.unit

TITLE = "Japan, Mongolia to Reach Basic Agreement on Defense Equipment Cooperation"
FIRST = "The Japanese government is also considering adding Mongolia to a list of nations."
SECOND = "It is assumed that the agreement will be officially signed in autumn or later."


def _citation(number: int = 1, **fields: object) -> Citation:
    values: dict[str, object] = {
        "number": number,
        "article_id": "a1",
        "title": TITLE,
        "source": "The Japan News",
        "url": "https://japannews.yomiuri.co.jp/politics/20240805-1/",
        "published_at": "2024-08-05T17:04:00+09:00",
        "quote": FIRST,
        "offset": 10,
    }
    return Citation(**(values | fields))


def test_an_answer_shows_its_sources_outlet_linked_title_date_and_quote() -> None:
    answer = Answer(text="OSA is Official Security Assistance [1].", citations=[_citation()])
    text, heading, source = render_answer(answer).split("\n\n")
    assert text == "OSA is Official Security Assistance &#91;1&#93;."
    assert heading == "**Sources**"
    assert source == (
        f"**[1]** The Japan News — [{TITLE}](https://japannews.yomiuri.co.jp/politics/"
        f"20240805-1/) — 2024-08-05\n> {FIRST}"
    )


def test_every_quoted_sentence_of_one_article_shows_verbatim_in_order() -> None:
    cited = _citation(quotes=[FIRST, SECOND], offsets=[10, 400])
    rendered = render_answer(Answer(text="Mongolia [1]. Autumn [1].", citations=[cited]))
    assert rendered.count("**[1]**") == 1
    assert rendered.endswith(f"> {FIRST}\n>\n> {SECOND}")


def test_a_source_without_a_web_address_or_outlet_or_date_still_reads() -> None:
    cited = _citation(url="", source="", published_at="")
    assert f"**[1]** Unknown outlet — “{TITLE}”\n" in render_answer(
        Answer(text="Yes [1].", citations=[cited])
    )
    scripted = _citation(url="javascript:alert(1)")  # only web addresses become links
    assert "](javascript" not in render_answer(Answer(text="Yes [1].", citations=[scripted]))


def test_a_refusal_shows_the_closest_coverage_and_no_sources() -> None:
    refusal = Answer(
        text="The coverage I have does not answer that.",
        answered=False,
        related=[_citation(), _citation(2, source="CNN", title="Mongolia votes", url="")],
    )
    text, heading, related = render_answer(refusal).split("\n\n")
    assert text == "The coverage I have does not answer that."
    assert heading == "**Closest coverage** (it does not answer the question)"
    assert related.splitlines() == [
        f"- The Japan News — [{TITLE}](https://japannews.yomiuri.co.jp/politics/20240805-1/)"
        " — 2024-08-05",
        "- CNN — “Mongolia votes” — 2024-08-05",
    ]
    assert "**Sources**" not in render_answer(refusal)


def test_markdown_in_titles_quotes_and_outlets_is_shown_not_followed() -> None:
    cited = _citation(
        title="*Bold* [claims](http://x.y) & <b>tags</b> # _under_ | ~~strike~~ $5 `code`",
        source="Valley_Post*",
        url="https://example.com/a story (2024)",
        quote="- 1. <script>alert(1)</script> costs $5 & [more]",
    )
    rendered = render_answer(Answer(text="*Not* emphasis [1].", citations=[cited]))
    assert rendered.startswith("&#42;Not&#42; emphasis &#91;1&#93;.")
    assert (
        "**[1]** Valley&#95;Post&#42; — [&#42;Bold&#42; &#91;claims&#93;(http://x.y) &#38; "
        "&#60;b&#62;tags&#60;/b&#62; &#35; &#95;under&#95; &#124; &#126;&#126;strike&#126;&#126; "
        "&#36;5 &#96;code&#96;](https://example.com/a%20story%20%282024%29) — 2024-08-05\n"
    ) in rendered
    assert rendered.endswith(
        "> &#45; 1. &#60;script&#62;alert(1)&#60;/script&#62; costs &#36;5 &#38; &#91;more&#93;"
    )
    for unsafe in ("<", "*B", "[c", "`", "~~", "$5", " _"):
        assert unsafe not in rendered.replace("](https", "")


# What an article's text would start in Markdown, and how it is shown instead.
_ESCAPED = {
    "- not a list": "&#45; not a list",
    "1. not a list": "1&#46; not a list",
    "# not a heading": "&#35; not a heading",
    "> not a quote": "&#62; not a quote",
    "two\n\nparagraphs  stay\none": "two paragraphs stay one",
    "Plain text, 2024-08-05.": "Plain text, 2024-08-05.",
}


@pytest.mark.parametrize(("text", "shown"), _ESCAPED.items())
def test_escaped_text_keeps_to_one_plain_line(text: str, shown: str) -> None:
    assert escape_markdown(text) == shown


def test_the_chat_is_drawn_from_the_kept_turns() -> None:
    answered = Turn("osa?", Answer(text="OSA is aid [1].", citations=[_citation()]))
    failed = Turn("", notice="Please type a question about the news.")
    messages = chat_messages([answered, failed], pending="And *then*?")
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2 + ["user"]
    assert messages[1]["content"] == render_answer(answered.answer)  # type: ignore[arg-type]
    assert messages[3]["content"] == "Please type a question about the news."
    assert messages[4]["content"] == "And &#42;then&#42;?"


def test_follow_ups_read_the_kept_answers_not_the_drawn_markdown() -> None:
    turns = [
        Turn("osa?", Answer(text="OSA is aid [1].", citations=[_citation()], question="OSA?")),
        Turn("when?", notice="Nothing is indexed yet."),  # failed: no answer to follow up on
        Turn("typed", Answer(text="No.", answered=False)),
    ]
    assert earlier_turns(turns) == [("OSA?", "OSA is aid [1]."), ("typed", "No.")]


def test_the_short_answer_is_shown_in_bold_inside_the_answer() -> None:
    answer = Answer(
        text="Kishida visits Mongolia later this month [1].",
        short="later this month",
        citations=[_citation()],
    )
    assert render_answer(answer).split("\n\n")[0] == (
        "Kishida visits Mongolia **later this month** &#91;1&#93;."
    )
