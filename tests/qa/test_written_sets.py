"""The written question sets in bench/questions/ are well formed (and, where the corpus
is at hand, every short answer is verbatim in its article)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from qa.eval.dataset import EvalQuestion, Expect, Split, load_questions
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

UNSEEN = ROOT / "bench" / "questions" / "unseen.jsonl"
UNSEEN2 = ROOT / "bench" / "questions" / "unseen2.jsonl"
UNSEEN3 = ROOT / "bench" / "questions" / "unseen3.jsonl"
UNSEEN4 = ROOT / "bench" / "questions" / "unseen4.jsonl"
CORPUS = ROOT.parent / "shared" / "bench" / "realtimeqa"


def _questions(path: Path = UNSEEN) -> list[EvalQuestion]:
    return load_questions(path, Split.ALL)


def test_the_unseen_set_has_what_the_issue_asks_for() -> None:
    questions = _questions()
    assert len({q.id for q in questions}) == len(questions)
    expect = Counter(q.expect for q in questions)
    assert expect[Expect.ANSWER] >= 120
    assert expect[Expect.NEAR_MISS] >= 20 and expect[Expect.ABSENT] >= 20
    kinds = Counter(q.kind for q in questions if q.expect is Expect.ANSWER)
    assert set(kinds) == {"what", "why", "who", "where", "define", "how_many", "how_much", "when"}
    halves = Counter((q.split, q.expect) for q in questions)
    for kind in Expect:
        assert abs(halves["dev", kind] - halves["test", kind]) <= 1  # stratified halves
    for question in questions:
        assert question.written and question.question.rstrip().endswith(("?", "."))
        assert bool(question.answer) is (question.expect is Expect.ANSWER)
        assert bool(question.gold_articles) is (question.expect is not Expect.ABSENT)


def test_the_second_set_is_fresh_and_mostly_near_misses() -> None:
    first, second = _questions(), _questions(UNSEEN2)
    assert not {q.id for q in first} & {q.id for q in second}
    used = {a for q in first for a in q.gold_articles}
    assert not used & {a for q in second for a in q.gold_articles}  # other articles
    assert len({a for q in second for a in q.gold_articles}) == len(second)  # one each
    halves = Counter((q.split, q.expect) for q in second)
    assert halves["dev", Expect.NEAR_MISS] == halves["test", Expect.NEAR_MISS] == 14
    assert halves["dev", Expect.ANSWER] == halves["test", Expect.ANSWER] == 12
    for question in second:
        assert question.written and question.question.rstrip().endswith(("?", "."))
        assert bool(question.answer) is (question.expect is Expect.ANSWER)
    for line in UNSEEN2.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert record["note"] or record["expect"] == "answer"  # how the miss was checked


@pytest.mark.parametrize(
    ("path", "before"), [(UNSEEN3, [UNSEEN, UNSEEN2]), (UNSEEN4, [UNSEEN, UNSEEN2, UNSEEN3])]
)
def test_a_later_set_uses_articles_no_other_set_uses_and_halves_by_id(
    path: Path, before: list[Path]
) -> None:
    later = _questions(path)
    earlier = [q for set_path in before for q in _questions(set_path)]
    assert not {q.id for q in earlier} & {q.id for q in later}
    assert not {a for q in earlier for a in q.gold_articles} & {
        a for q in later for a in q.gold_articles
    }
    covered = [q for q in later if q.expect is not Expect.ABSENT]
    assert len({a for q in covered for a in q.gold_articles}) == len(covered)  # one each
    halves = Counter((q.split, q.expect) for q in later)
    for split in ("dev", "test"):
        assert (halves[split, Expect.ANSWER], halves[split, Expect.NEAR_MISS]) == (20, 16)
        assert halves[split, Expect.ABSENT] == 6
    for question in covered:  # the two writers' halves of the corpus: ids ending 0-7, 8-f
        (article,) = question.gold_articles
        wanted = "dev" if article[-1] in "01234567" else "test"
        assert question.split == wanted, question.id
    for question in later:
        assert bool(question.answer) is (question.expect is Expect.ANSWER)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the RealTime QA corpus lives in ../shared")
@pytest.mark.parametrize(
    "path", [UNSEEN, UNSEEN2, UNSEEN3, UNSEEN4], ids=["unseen", "unseen2", "unseen3", "unseen4"]
)
def test_every_short_answer_is_verbatim_in_a_non_gold_article(path: Path) -> None:
    articles = {}
    with (CORPUS / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            articles[record["id"]] = record
    quiz_gold = {
        evidence["article_id"]
        for line in (CORPUS / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        for evidence in json.loads(line)["evidence"]
        if evidence.get("article_id")
    }
    for question in _questions(path):
        for article in question.gold_articles:
            assert article in articles and article not in quiz_gold, question.id
            if question.expect is Expect.ANSWER:
                assert question.answer in articles[article]["body"], question.id


def test_a_written_set_file_is_json_lines() -> None:
    for path in Path(UNSEEN).parent.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert isinstance(json.loads(line), dict)
