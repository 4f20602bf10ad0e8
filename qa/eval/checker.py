"""`python -m qa.eval.checker`: the citation checker (`qa.support`) on real paraphrases.

RealTime QA's evidence facts are the quiz writers' paraphrases of their gold articles.
Each sentence of a fact is checked, as a written answer's sentence citing one source:
- against its gold article: it should be accepted;
- with one figure or one name changed (to one the article does not give): rejected;
- against another article of the same week: rejected.
Rates are per sentence (what the answerer shows or drops) and per fact (every sentence
accepted), for a sweep of similarity thresholds. Facts whose gold article has less
than --min-body characters of text (a page that kept only its ads) are left out and
counted. Dev is for calibration; test is run once (aggregates only, like `qa.eval`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_classic.embeddings import CacheBackedEmbeddings
from langchain_core.documents import Document
from langchain_core.stores import InMemoryByteStore
from tqdm import tqdm

from qa.eval.__main__ import BENCH
from qa.eval.dataset import Split, load_questions
from qa.eval.harness import RESULTS_DIR
from qa.eval.provenance import collect_provenance
from qa.scoring import SCORING
from qa.settings import AnswerSettings
from qa.stated import SourceFacts, figures
from qa.support import SupportChecker, source_facts
from qa.words import content_terms
from vectorstore import StoreSettings, embeddings_for
from vectorstore.sentences import split_sentences

THRESHOLDS = [round(0.30 + 0.05 * i, 2) for i in range(11)]  # 0.30 … 0.80
_DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+|(?<![\w.,])\d+(?![\d,]*\d)")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


@dataclass(frozen=True)
class Trial:
    """One sentence checked against one article: what the checker saw."""

    kind: str  # gold, changed or other
    fact: int  # which fact it belongs to
    similarity: float
    lacks: bool  # a name or figure the article does not give
    says_little: bool  # fewer meaningful words than support_min_terms

    def accepted(self, threshold: float) -> bool:
        """Whether the checker accepts it at `threshold`."""
        return not self.lacks and not self.says_little and self.similarity >= threshold


def changed(sentence: str, article: SourceFacts, others: list[str], rng: random.Random) -> str:
    """`sentence` with one figure or one name changed to one `article` does not give
    (a name taken from `others`, other articles' names); unchanged when it has neither."""
    options: list[tuple[str, re.Match[str]]] = [("figure", m) for m in _DIGITS.finditer(sentence)]
    options += [("name", m) for m in _CAPITALISED.finditer(sentence) if not article.lacks(m[0])]
    rng.shuffle(options)
    for kind, match in options:
        new = _other_figure(match[0], article, rng) if kind == "figure" else None
        if kind == "name":
            pool = [n for n in others if article.lacks(n)]
            new = rng.choice(pool) if pool else None
        if new:
            return sentence[: match.start()] + new + sentence[match.end() :]
    return sentence


def _other_figure(written: str, article: SourceFacts, rng: random.Random) -> str | None:
    """Another value for a figure, one the article does not give."""
    value = int(written.replace(",", ""))
    for _ in range(10):
        if 1900 <= value <= 2100:
            new = value + rng.choice([-3, -2, -1, 1, 2, 3])
        elif value < 10:
            new = value + rng.randint(1, 4)
        else:
            new = round(value * rng.choice([0.5, 0.7, 1.3, 1.5, 2.0]))
        text = f"{new:,}" if "," in written else str(new)
        if not figures(text) & article.figures:
            return text
    return None


def run(
    split: Split,
    questions_path: Path,
    articles_path: Path,
    *,
    min_body: int,
    limit: int | None,
    seed: int,
    progress: bool,
) -> dict[str, Any]:
    """Every trial of the split, summed up per threshold."""
    questions = load_questions(questions_path, split, limit)
    articles = _articles(articles_path)
    by_week: dict[str, list[str]] = defaultdict(list)
    for article_id, record in articles.items():
        if len(record["body"]) >= min_body:
            for week in record.get("weeks", []):
                by_week[week].append(article_id)
    rng = random.Random(seed)
    base = embeddings_for(StoreSettings())
    cached = CacheBackedEmbeddings.from_bytes_store(
        base,
        InMemoryByteStore(),
        namespace="checker",
        query_embedding_cache=True,
        key_encoder="sha256",
    )
    checker = SupportChecker(cached, replace(SCORING, support_similarity=0.0))
    trials: list[Trial] = []
    facts = left_out = 0
    pairs = [(q, e) for q in questions for e in q.evidence if e.fact and e.article_id in articles]
    for question, evidence in tqdm(pairs, disable=not progress, desc="facts"):
        gold = articles[str(evidence.article_id)]
        if len(gold["body"]) < min_body:
            left_out += 1
            continue
        others = [a for a in by_week.get(question.week, []) if a not in question.gold_articles]
        if not others:
            left_out += 1
            continue
        other = articles[rng.choice(others)]
        gold_doc, other_doc = _document(gold), _document(other)
        gold_facts = source_facts(gold_doc)
        other_names = sorted({m[0] for m in _CAPITALISED.finditer(other["body"])})
        sentences = [s.text for s in split_sentences(str(evidence.fact))]
        mutated_at = rng.randrange(len(sentences))
        for i, sentence in enumerate(sentences):
            trials.append(_trial(checker, "gold", facts, sentence, gold_doc))
            trials.append(_trial(checker, "other", facts, sentence, other_doc))
            if i == mutated_at:
                new = changed(sentence, gold_facts, other_names, rng)
                if new != sentence:
                    trials.append(_trial(checker, "changed", facts, new, gold_doc))
        facts += 1
    provenance = collect_provenance(
        store=StoreSettings(),
        answering=AnswerSettings(),
        articles=len(articles),
        questions=len(questions),
        data_dirs=(RESULTS_DIR,),
    )
    return {"provenance": provenance.model_dump(mode="json")} | _summary(
        trials, facts, left_out, split, min_body, seed
    )


def _trial(checker: SupportChecker, kind: str, fact: int, sentence: str, doc: Document) -> Trial:
    support = checker.support(sentence, doc)
    says_little = len(content_terms(sentence)) < checker.scoring.support_min_terms
    return Trial(kind, fact, support.similarity, bool(support.lacks), says_little)


def _summary(
    trials: list[Trial], facts: int, left_out: int, split: Split, min_body: int, seed: int
) -> dict[str, Any]:
    by_kind: dict[str, list[Trial]] = defaultdict(list)
    for trial in trials:
        by_kind[trial.kind].append(trial)
    sweep = []
    for threshold in THRESHOLDS:
        row: dict[str, Any] = {"threshold": threshold}
        for kind, kept in by_kind.items():
            accepted = sum(t.accepted(threshold) for t in kept) / len(kept)
            row[f"{kind}_sentences"] = round(accepted if kind == "gold" else 1 - accepted, 3)
        gold_facts = defaultdict(list)
        for trial in by_kind["gold"]:
            gold_facts[trial.fact].append(trial.accepted(threshold))
        row["gold_facts"] = round(sum(all(v) for v in gold_facts.values()) / len(gold_facts), 3)
        sweep.append(row)
    chosen = next((r for r in sweep if r["threshold"] == SCORING.support_similarity), None)
    return {
        "what": "citation checker on RealTime QA evidence facts (qa.eval.checker)",
        "split": split.value,
        "settings": {
            "min_body": min_body,
            "seed": seed,
            "support_min_terms": SCORING.support_min_terms,
            "support_similarity": SCORING.support_similarity,
        },
        "facts": facts,
        "facts_left_out": left_out,
        "trials": {kind: len(kept) for kind, kept in by_kind.items()},
        "lacking_a_name_or_figure": {
            kind: round(sum(t.lacks for t in kept) / len(kept), 3) for kind, kept in by_kind.items()
        },
        "rates_meaning": "gold_*: share accepted; changed_* and other_*: share rejected",
        "at_setting": chosen,
        "sweep": sweep,
    }


def _articles(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines if line.strip())
        return {r["id"]: r for r in records}


def _document(record: dict[str, Any]) -> Document:
    return Document(
        page_content=record["body"],
        metadata={
            "article_id": record["id"],
            "title": record.get("title", ""),
            "source": record.get("source", ""),
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m qa.eval.checker", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--split", choices=[Split.DEV.value, Split.TEST.value], default="dev")
    parser.add_argument("--articles", type=Path, default=BENCH / "articles.jsonl")
    parser.add_argument("--questions", type=Path, default=BENCH / "questions.jsonl")
    parser.add_argument("--min-body", type=int, default=500)
    parser.add_argument("--limit-questions", type=int, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, metavar="FILE")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    for path in (args.articles, args.questions):
        if not path.is_file():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    result = run(
        Split(args.split),
        args.questions,
        args.articles,
        min_body=args.min_body,
        limit=args.limit_questions,
        seed=args.seed,
        progress=not args.quiet,
    )
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("facts", "facts_left_out", "trials", "at_setting")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
