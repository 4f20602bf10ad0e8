"""The `/ask` endpoint of the running app: a question in, the `Answer` out as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from gradio_client import Client

from qa import Answer, Citation
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.integration


def test_ask_returns_the_answer_as_json(running_app: tuple[str, dict[str, str]]) -> None:
    client = Client(running_app[0], verbose=False)

    def ask(*args: Any, **kwargs: Any) -> dict[str, Any]:
        reply = client.predict(*args, api_name="/ask", **kwargs)
        assert isinstance(reply, dict)
        return reply

    osa = ask("What is OSA?")
    assert set(osa) == set(Answer.model_fields)
    assert osa["answered"] is True and osa["question"] == "What is OSA?"
    assert "Official Security Assistance" in osa["text"] and osa["related"] == []
    citation = osa["citations"][0]
    assert set(citation) == set(Citation.model_fields)
    assert citation["number"] == 1 and citation["source"] == "The Japan News"
    assert citation["title"].startswith("Japan, Mongolia to Reach Basic Agreement")
    assert citation["published_at"].startswith("2024-08-05")
    seed = SEED_FILE.read_text()
    assert citation["quote"] == citation["quotes"][0]
    assert all(quote in seed for quote in citation["quotes"])
    assert len(citation["offsets"]) == len(citation["quotes"])

    peru = ask("What is the capital of Peru?")
    assert peru["answered"] is False and peru["citations"] == []
    assert peru["related"] and peru["related"][0]["source"] == "The Japan News"

    # The filters, by position (sources, since, until, as_of) or by name.
    assert ask("What is OSA?", ["The Japan News"], "2024-08-01", "2024-08-31", "")["answered"]
    assert not ask("What is OSA?", sources=["CNN"])["answered"]
    assert not ask("What is OSA?", as_of="2024-07-01")["answered"]

    # A follow-up names the earlier turns: [question, answer text] pairs.
    alone = ask("Tell me more about it")
    assert alone["answered"] is False
    more = ask("Tell me more about it", history=[[osa["question"], osa["text"]]])
    assert more["answered"] and "Official Security Assistance" in more["text"]

    assert ask("") == {"error": "Please type a question about the news."}
    assert ask("What is OSA?", since="last week") == {
        "error": "“last week” is not a date: type the first day as YYYY-MM-DD, e.g. 2024-08-05."
    }
    assert ask("What is OSA?", since="2024-08-31", until="2024-08-01") == {
        "error": "The first day (2024-08-31) is after the last (2024-08-01): swap them?"
    }
    assert ask("What is OSA?", history=[["just a question"]]) == {
        "error": "history must be a list of [question, answer text] pairs, oldest first."
    }
