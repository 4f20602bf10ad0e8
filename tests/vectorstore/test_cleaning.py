"""Cleaning at ingestion: every passage's sentences flagged, and a store mended in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from langchain_core.documents import Document

from tests.conftest import SEED_FILE, record_encodes, write_article
from vectorstore import (
    CLEANING_VERSION,
    Article,
    StoreSettings,
    chroma_client,
    chunk_article,
    chunk_id,
    clean_passage,
    cleaning,
    is_roundup_passage,
    is_roundup_title,
    load_tokenizer,
    make_splitter,
    outlet_key,
    parse_page_text,
    passage_sentences,
    refresh,
    sentence_flag,
    sync,
)
from vectorstore.cleaning import CLEANING_FIELDS, PassageSentence
from vectorstore.lexical import LexicalIndex
from vectorstore.outlet_rules import OUTLET_RULES, outlet_named_by, rules_for
from vectorstore.sentences import candidate_sentences, split_sentences

# Every line the answerer was told is furniture (tests/qa, the former qa/furniture.py), with the
# rule that now flags it; a CNN template's line in a CNN article.
# Every line the answerer was told is furniture (tests/qa, the former qa/furniture.py), by
# the rule that now flags it, then the outlet whose template it is ("": any outlet).
_FURNITURE: dict[tuple[str, str], list[str]] = {
    ("label", ""): [
        "In pictures: Shinzo Abe, the former prime minister",
        "Watch: Ana Lima on the pier closure",
        "Graphics: Life cycle and tides of the harbour",
        "Graphics: Life cycle and migrations maps of the monarch butterfly",
        "Editor's note: This page recaps the news of Tuesday, Sept. 20.",
        "Opinion: A previous version of this column misstated the harbour master's name.",
        "Graphics:After 50 years, the pier reopens with a new harbour master",
    ],
    ("heading", ""): ["Live updates on the harbour strike", "MORE COVERAGE OF THE HARBOUR STRIKE"],
    ("link", ""): [
        "Who is Ana Lima?:What to know about the harbour master who closed the pier",
        "Who is Elon Musk?:What to know about the Tesla CEO and his plans",
    ],
    ("credit", ""): [
        "Harbour master Ana Lima at the pier Peter Nicholls/Reuters",
        "Conservative leadership candidate Rishi Sunak Peter Nicholls/Reuters",
        "(Photo by Alex Wong/Getty Images)",
    ],
    ("pointer", ""): [
        "For the latest coverage on the pier, follow our updates from Wednesday here.",
        "For our latest coverage of the storm, see updates from Friday, Sept. 30.",
        "See the harbour master's notice here.",
        "Read the full story here.",
    ],
    ("newsletter", ""): ["Sign up for our newsletter on who won the harbour award tonight"],
    ("promo", ""): [
        "Explore the harbour with news on ferries, tides and more",
        "Explore the universe with news on fascinating discoveries, scientific advancements "
        "and more",
        "On today's episode of the Harbour podcast: the strike ends.",
    ],
    ("email", ""): ["harbour.award.winner@portnews.example.com"],
    ("tweet", ""): [
        "Ana Lima won the harbour award! pic.twitter.com/3z90qAEAXB — Port Awards "
        "(@portawards) August 27, 2022"
    ],
    ("gallery", ""): ["Ana Lima at the pier, photo 3 of 9 in the gallery"],
    ("video", ""): ["MUST WATCH Pier collapse in 2021 01:21"],
    ("list_lead", ""): [
        "Here is what else to know about Ana Lima:",
        "Here's what borrowers need to know:",
    ],
    # CNN's templates, in a CNN article.
    ("cnn.ad_widget", "cnn.com"): [
        "Video Ad Feedback Harbour master on the strike 02:07 - Source: CNN",
        "Video Ad Feedback 00:59 - Source: CNN Watch the pier reopen",
        "Video player was slow to load content Ad froze or did not finish loading Other issues",
    ],
    ("cnn.gallery", "cnn.com"): ["Hide Caption 6 of 16 Photos: Deadly flooding in western Europe"],
    ("cnn.video_player", "cnn.com"): [
        "JUST WATCHED See Ana Lima's reaction Replay More Videos ..."
    ],
    ("cnn.video_player", "CNN"): ["MUST WATCH Heat dome bakes Southeast 02:19"],
}
FURNITURE = [(source, line, rule) for (rule, source), lines in _FURNITURE.items() for line in lines]
REPORTING = [
    "Fort Smith:The Arkansas Department of Agriculture has added four counties.",
    "Harbour master Ana Lima closed the pier on Monday.",
    "'Get the inspectors down here,' Lima said of the pier.",
    "The meeting starts at 10:30 a.m. on Monday, the harbour master said.",
    "Lima told the Associated Press that the pier would reopen.",
    "The board asked how relevant the ad campaign was to voters.",
    "Officials said the video feedback from residents would be reviewed.",
    "NASA scrubbed the launch on Saturday.",
]


def _document(passage: str, title: str = "Pier closes", source: str = "") -> Document:
    head = f"{title} (2024-05-01)\n\n"
    metadata = {"title": title, "source": source, "passage_start": len(head)}
    return Document(page_content=head + passage, metadata=metadata)


def _spans(passage: str, source: str = "") -> list[tuple[str, str]]:
    return [(s.flag, s.text) for s in passage_sentences(_document(passage, source=source))]


@pytest.mark.unit
@pytest.mark.parametrize(("source", "line", "rule"), FURNITURE)
def test_page_furniture_is_flagged_with_the_rule_that_found_it(
    source: str, line: str, rule: str
) -> None:
    assert sentence_flag(line, source) == f"furniture:{rule}"
    (span,) = passage_sentences(_document(line, source=source))
    assert (span.text, span.rule, span.answers) == (line, rule, False)


@pytest.mark.unit
@pytest.mark.parametrize("line", REPORTING)
@pytest.mark.parametrize("source", ["", "cnn.com", "usatoday.com", "The Japan News"])
def test_reporting_is_not_flagged(line: str, source: str) -> None:
    assert _spans(line, source) == [("", line)]


@pytest.mark.unit
def test_fragments_and_questions_are_flagged_as_the_answerer_leaves_them_out() -> None:
    passage = (
        "Ana Lima at the pier. Hide Caption 3 of 9\n\n1. How relevant is this ad to you?\n\n"
        "What happens to the ferries now?\n\nThe pier reopens on Friday."
    )
    assert _spans(passage) == [
        ("", "Ana Lima at the pier."),
        ("fragment", "Hide Caption 3 of 9"),
        ("fragment", "1."),
        ("question", "How relevant is this ad to you?"),
        ("question", "What happens to the ferries now?"),
        ("", "The pier reopens on Friday."),
    ]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "lead_ins", "sentence"),
    [
        ("(CNN) Two lawmakers resigned on Monday.", ["(CNN)"], "Two lawmakers resigned on Monday."),
        (
            "Hong Kong (CNN Business) Investors sold shares.",
            ["Hong Kong (CNN Business)"],
            "Investors sold shares.",
        ),
        (
            "New York CNN Business — Stocks fell on Friday.",
            ["New York CNN Business —"],
            "Stocks fell on Friday.",
        ),
        (
            "NEW YORK (AP) — Wall Street had its worst day.",
            ["NEW YORK (AP) —"],
            "Wall Street had its worst day.",
        ),
        (
            "LOUISVILLE, Ky. — A petition got enough votes.",
            ["LOUISVILLE, Ky. —"],
            "A petition got enough votes.",
        ),
        (
            "Justin Sullivan/Getty Images Firefighters battle the blaze near Mariposa.",
            ["Justin Sullivan/Getty Images"],
            "Firefighters battle the blaze near Mariposa.",
        ),
        (
            "Gregg Newton/AFP via Getty Images Cathie Perkins spoke to reporters.",
            ["Gregg Newton/AFP via Getty Images"],
            "Cathie Perkins spoke to reporters.",
        ),
        (
            "--The death of the queen set a period of mourning.",
            ["--"],
            "The death of the queen set a period of mourning.",
        ),
        (
            "Justin Sullivan/Getty Images (CNN) Crews battled the blaze.",
            ["Justin Sullivan/Getty Images", "(CNN)"],
            "Crews battled the blaze.",
        ),
        ("Justin Sullivan/Getty Images", ["Justin Sullivan/Getty Images"], None),  # no sentence
        # Not lead-ins: a slash inside a name, a wire named in the sentence itself.
        (
            "The Defense POW/MIA Accounting Agency said so.",
            [],
            "The Defense POW/MIA Accounting Agency said so.",
        ),
        (
            "The Associated Press (AP) reported it first.",
            [],
            "The Associated Press (AP) reported it first.",
        ),
    ],
)
def test_datelines_and_credits_are_spans_of_their_own_before_their_sentence(
    text: str, lead_ins: list[str], sentence: str | None
) -> None:
    passage = "Intro line here, long enough.\n\n" + text
    spans = passage_sentences(_document(passage))
    assert [s.text for s in spans] == [
        "Intro line here, long enough.",
        *lead_ins,
        *([sentence] if sentence else []),
    ]
    flags = [s.flag for s in spans[1 : 1 + len(lead_ins)]]
    assert all(s.lead_in for s in spans[1 : 1 + len(lead_ins)])
    assert set(flags) <= {"dateline", "credit", "lead_in"}
    assert ("credit" in flags) == ("Getty" in text) and ("lead_in" in flags) == ("--" in text)
    assert [s.text for s in spans if not s.lead_in] == [s.text for s in split_sentences(passage)]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("title", "source"),
    [
        ("5 things to know for Aug. 5: Economy, Brittney Griner", "cnn.com"),
        ("5 things to know on April 3, 2022: Start your week smart: Ukraine ...", "CNN"),
        ("Vladimir Putin, Fed hike, Hurricane Fiona: Daily Briefing", "usatoday.com"),
        ("Conch contest, golf tree: News from around our 50 states", "USA Today"),
        ("James Webb Space Telescope, Emmys, Uvalde. It's Tuesday's news.", "usatoday.com"),
        ("Trump on Jan. 6, Ghislaine Maxwell, Texas deaths. It's ...", "usatoday.com"),
        ("Yellowstone floods, Fed meeting: 5 things to know Wednesday", "usatoday.com"),
        ("Highland Park shooting, Ukraine, Wimbledon: 5 things to know ...", "usatoday.com"),
        ("Harbour strike, ferries, budget: Week in review", ""),
        ("Port News in brief: strike, ferries, budget", "The Week"),
        ("The weekly roundup: strike, ferries, budget", "theweek.co.uk"),
    ],
)
def test_roundup_headlines(title: str, source: str) -> None:
    assert is_roundup_title(title, source)
    document = _document("The strike ended on Monday, the union said.", title, source)
    assert is_roundup_passage(document)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("title", "source"),
    [
        ("Brittney Griner sentenced to nine years", "cnn.com"),
        ("5 things to know about the 'Rogue One: A Star Wars Story' trailer", "usatoday.com"),
        ("5 things to know about the new booster shot", "cnn.com"),
        # An outlet's series is its own: the same words elsewhere name no roundup.
        ("5 things to know for Aug. 5: Economy, Brittney Griner", "usatoday.com"),
        ("Psaki's daily briefing turns to Ukraine", "cnn.com"),
        ("News from around our 50 states", "cnn.com"),
    ],
)
def test_headlines_that_are_no_roundups(title: str, source: str) -> None:
    assert not is_roundup_title(title, source)


@pytest.mark.unit
def test_an_outlet_rule_applies_to_its_outlet_only() -> None:
    widget = "Video Ad Feedback Harbour master on the strike 02:07 - Source: CNN"
    for cnn in ("cnn.com", "e.newsletters.cnn.com", "CNN", "www.cnn.com"):
        assert sentence_flag(widget, cnn) == "furniture:cnn.ad_widget"
    for other in ("usatoday.com", "USA Today", "theweek.co.uk", "The Japan News", ""):
        assert sentence_flag(widget, other) == ""
    caption = "Hide Caption 6 of 16 Photos: Deadly flooding in western Europe"
    assert sentence_flag(caption, "usatoday.com") == "furniture:gallery"  # the counter, at large


@pytest.mark.unit
def test_the_outlet_table_is_keyed_by_the_outlets_own_names() -> None:
    for key, rules in OUTLET_RULES.items():
        assert outlet_key(rules.name) == key
        assert [found for found, _ in rules_for(rules.name)] == [key]
    assert [key for key, _ in rules_for("usatoday.com")] == ["usatoday"]
    assert outlet_named_by(["POPULAR ARTICLE", "JN ACCESS RANKING"]) == "The Japan News"
    assert outlet_named_by(["RELATED ARTICLES"]) == ""


@pytest.mark.unit
def test_the_seed_is_still_the_japan_news() -> None:
    article = parse_page_text(SEED_FILE.read_text(), SEED_FILE.name)
    assert article.source == "The Japan News"


def _articles() -> list[Article]:
    """The seed, and pages with the furniture of CNN and USA Today, for whole passages."""
    seed = parse_page_text(SEED_FILE.read_text(), SEED_FILE.name)
    cnn = Article(
        id="cnn",
        title="Harbour strike ends",
        source="cnn.com",
        text="(CNN) Dock workers ended their strike on Monday. Ferries run again.\n\n"
        "Video Ad Feedback Harbour master on the strike 02:07 - Source: CNN\n\n"
        "Hide Caption 3 of 9 Photos: The harbour strike Ana Lima at the pier, Monday.\n\n"
        "Justin Sullivan/Getty Images Crews unload the first ship since May.\n\n"
        "JUST WATCHED See Ana Lima's reaction Replay More Videos ...\n\n"
        "MUST WATCH Pier collapse in 2021 01:21\n\n"
        "NEW YORK (AP) — Shipping stocks rose. Mr. Lee, the U.S. envoy, said No. 4 pier opens.\n\n"
        "What happens to the ferries now? Read the full story here.",
    )
    usatoday = Article(
        id="usat",
        title="Conch contest, golf tree: News from around our 50 states",
        source="usatoday.com",
        text="Fort Smith:The Arkansas Department of Agriculture has added four counties.\n\n"
        "Who is Ana Lima?:What to know about the harbour master who closed the pier\n\n"
        "Here's what we know:\n\n--The pier closed on Monday after a storm.\n\n"
        "LOUISVILLE, Ky. — A petition got enough votes.\n\n"
        "Video Ad Feedback Harbour master on the strike 02:07 - Source: CNN\n\n"
        "jdoe@usatoday.example.com",
    )
    return [seed, cnn, usatoday]


@pytest.mark.unit
def test_spans_are_verbatim_and_the_sentences_the_answerer_reads_today() -> None:
    splitter = make_splitter(load_tokenizer(), chunk_tokens=64, overlap_tokens=8)
    passages = [doc for article in _articles() for doc in chunk_article(article, splitter)]
    assert len(passages) > 8
    flags = set()
    for doc in passages:
        passage = doc.page_content[doc.metadata["passage_start"] :]
        spans = passage_sentences(doc)
        assert all(passage[s.start : s.end] == s.text == s.text.strip() != "" for s in spans)
        assert [s.start for s in spans] == sorted(s.start for s in spans)
        sentences = [(s.text, s.start) for s in spans if not s.lead_in]
        assert sentences == [(s.text, s.start) for s in split_sentences(passage)]
        weighed = [(s.text, s.start) for s in spans if s.answers or s.rule]
        assert weighed == [(s.text, s.start) for s in candidate_sentences(passage)]
        flags |= {s.flag for s in spans}
    assert {"", "dateline", "credit", "lead_in", "question", "furniture:cnn.ad_widget"} <= flags
    usatoday = [doc for doc in passages if doc.metadata["source"] == "usatoday.com"]
    assert all(doc.metadata["roundup"] for doc in usatoday)
    widget = [s for doc in usatoday for s in passage_sentences(doc) if "Video Ad" in s.text]
    assert [s.flag for s in widget] == [""]  # the CNN widget's rule is CNN's


@pytest.mark.unit
def test_the_flags_are_stored_compactly_and_read_back_as_computed() -> None:
    splitter = make_splitter(load_tokenizer(), chunk_tokens=64, overlap_tokens=8)
    for doc in chunk_article(_articles()[1], splitter):
        metadata = doc.metadata
        assert metadata["cleaning"] == CLEANING_VERSION and metadata["roundup"] is False
        stored = json.loads(metadata["sentences"])
        assert " " not in metadata["sentences"]
        assert all(isinstance(span, list) and len(span) == 3 for span in stored)
        bare = Document(
            page_content=doc.page_content,
            metadata={k: v for k, v in metadata.items() if k not in CLEANING_FIELDS},
        )
        assert passage_sentences(doc) == passage_sentences(bare)
        assert chunk_id(doc) == chunk_id(bare)  # the flags are no part of the id
        assert (
            metadata
            | clean_passage(
                doc.page_content[metadata["passage_start"] :], metadata["title"], metadata["source"]
            )
            == metadata
        )


@pytest.mark.unit
def test_flags_under_an_older_version_are_not_trusted() -> None:
    passage = "Watch: Ana Lima on the pier closure"
    stale = _document(passage)
    stale.metadata |= {"cleaning": CLEANING_VERSION - 1, "roundup": True, "sentences": "[]"}
    assert passage_sentences(stale) == [PassageSentence(passage, 0, "furniture:label")]
    assert not is_roundup_passage(stale)


# The store: flags mended in place, with the real Chroma and the packaged model.


def _without_flags(settings: StoreSettings) -> None:
    """Refresh as the code before cleaning did: no flags, no mend."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("vectorstore.chunking.clean_passage", lambda *args: {})
        patch.setattr(sync, "_mend_cleaning", lambda *args: 0)
        refresh(settings)


def _stored(settings: StoreSettings) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every passage's metadata, in Chroma and in the BM25 table, by id."""
    collection = chroma_client(settings).get_collection(settings.collection)
    found = collection.get(include=["metadatas"])
    chroma = dict(zip(found["ids"], found["metadatas"], strict=True))
    lexical = LexicalIndex(settings.lexical_db)
    try:
        table = {key: doc.metadata for key, doc in lexical.documents(lexical.ids())}
    finally:
        lexical.close()
    return chroma, table


def _current(metadata: dict[str, Any]) -> bool:
    return metadata.get("cleaning") == CLEANING_VERSION and "sentences" in metadata


@pytest.mark.integration
def test_a_store_without_flags_gets_them_on_the_next_refresh_without_embedding(
    settings: StoreSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _without_flags(settings)
    chroma, table = _stored(settings)
    assert chroma.keys() == table.keys() and not any(map(_current, chroma.values()))

    dry = refresh(settings, dry_run=True)
    assert dry.passages_recleaned == len(chroma) and "re-flagged" in dry.summary()
    assert _stored(settings) == (chroma, table)  # a dry run writes nothing

    calls = record_encodes(monkeypatch)
    report = refresh(settings)
    assert calls == [] and report.chunks_added == report.chunks_deleted == 0
    assert report.passages_recleaned == len(chroma) > 1
    assert f"{len(chroma)} passages re-flagged" in report.summary()
    mended, mended_table = _stored(settings)
    assert mended.keys() == chroma.keys()  # the same ids: nothing was indexed again
    assert mended == mended_table and all(map(_current, mended.values()))
    fresh = settings.model_copy(update={"data_dir": tmp_path / "fresh"})
    refresh(fresh)
    assert _stored(fresh)[0] == mended  # as a store built with the flags

    # Nothing to mend: the rows are not even read.
    calls.clear()
    monkeypatch.setattr(LexicalIndex, "uncleaned", lambda *args: pytest.fail("read again"))
    assert refresh(settings).passages_recleaned == 0 and calls == []


@pytest.mark.integration
def test_new_rules_reflag_every_passage_without_embedding(
    settings: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh(settings)
    before, _ = _stored(settings)
    monkeypatch.setattr(cleaning, "CLEANING_VERSION", CLEANING_VERSION + 1)
    monkeypatch.setattr(sync, "CLEANING_VERSION", CLEANING_VERSION + 1)
    calls = record_encodes(monkeypatch)
    assert refresh(settings).passages_recleaned == len(before)
    after, table = _stored(settings)
    assert calls == [] and after.keys() == before.keys()
    assert {meta["cleaning"] for meta in [*after.values(), *table.values()]} == {
        CLEANING_VERSION + 1
    }


@pytest.mark.integration
def test_a_crash_while_mending_is_finished_by_the_next_refresh(
    settings: StoreSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_flags(settings)
    total = len(_stored(settings)[0])
    update = LexicalIndex.update_metadata
    batches: list[int] = []

    def crash_on_the_second_batch(self: LexicalIndex, ids: Any, metadatas: Any) -> None:
        batches.append(len(ids))
        if len(batches) == 2:  # Chroma has the batch, the BM25 table not yet
            raise RuntimeError("killed")
        update(self, ids, metadatas)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sync, "MEND_BATCH", 1)
        patch.setattr(LexicalIndex, "update_metadata", crash_on_the_second_batch)
        with pytest.raises(RuntimeError, match="killed"):
            refresh(settings)
    chroma, table = _stored(settings)
    assert sum(map(_current, chroma.values())) == 2 and sum(map(_current, table.values())) == 1
    with sqlite3.connect(settings.lexical_db) as db:
        assert db.execute("SELECT value FROM state WHERE key = 'cleaned'").fetchone() == (0,)

    calls = record_encodes(monkeypatch)
    assert refresh(settings).passages_recleaned == total - 1
    chroma, table = _stored(settings)
    assert calls == [] and chroma == table and all(map(_current, chroma.values()))


@pytest.mark.integration
def test_a_passage_written_under_older_rules_later_is_mended_too(
    settings: StoreSettings, monkeypatch: pytest.MonkeyPatch, articles_dir: Path
) -> None:
    refresh(settings)
    _without_flags(settings)  # nothing new: the store keeps its flags
    write_article(articles_dir, "harbour.txt", "Harbour reopens", "Watch: The harbour reopens.")
    _without_flags(settings)  # an article indexed by older code
    lexical = LexicalIndex(settings.lexical_db)
    try:
        assert lexical.cleaned() == 0 and lexical.count_uncleaned(CLEANING_VERSION) == 1
    finally:
        lexical.close()
    assert refresh(settings).passages_recleaned == 1
    chroma, table = _stored(settings)
    harbour = [meta for meta in chroma.values() if meta["title"] == "Harbour reopens"]
    assert [json.loads(meta["sentences"]) for meta in harbour] == [[[0, 27, "furniture:label"]]]
    assert chroma == table
