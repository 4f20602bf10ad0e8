"""The sources file: its model, its TOML reading and writing, and its command line."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from vectorstore.errors import SourcesError
from vectorstore.settings import StoreSettings
from vectorstore.sources import Source, SourceKind, SourcesFile, _toml_string, main, parse_interval

pytestmark = pytest.mark.unit


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    return tmp_path / "sources.toml"


def _run(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> tuple[int, str, str]:
    status = main(["--sources-file", str(path), *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_add_list_remove_round_trip(sources_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, sources_file, "list")[:2] == (0, "")
    status, out, _ = _run(
        capsys, sources_file, "add", "https://example.com/rss", "--name", "Example", "--every", "2h"
    )
    assert status == 0 and "added https://example.com/rss" in out
    assert _run(capsys, sources_file, "add", "http://example.org/story", "--page")[0] == 0

    status, out, _ = _run(capsys, sources_file, "list")
    assert status == 0
    assert out.splitlines() == [
        "feed\tExample\t2h\thttps://example.com/rss",
        "page\t-\t-\thttp://example.org/story",
    ]

    status, out, _ = _run(capsys, sources_file, "remove", "https://example.com/rss")
    assert status == 0 and "removed https://example.com/rss" in out
    assert _run(capsys, sources_file, "list")[1].splitlines() == [
        "page\t-\t-\thttp://example.org/story"
    ]
    assert [s.url for s in SourcesFile.load(sources_file).sources] == ["http://example.org/story"]


def test_adding_a_url_again_updates_it_and_keeps_one_entry(
    sources_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, sources_file, "add", "https://example.com/rss", "--name", "Old", "--every", "1h")
    status, out, _ = _run(capsys, sources_file, "add", "https://EXAMPLE.com/rss", "--name", "New")
    assert status == 0 and "updated https://example.com/rss" in out
    (source,) = SourcesFile.load(sources_file).sources
    # The name given is new; the interval not given is kept.
    assert (source.url, source.name, source.every) == ("https://example.com/rss", "New", "1h")
    assert sources_file.read_text().count("[[source]]") == 1


def test_add_replaces_in_place_in_the_library() -> None:
    sources = SourcesFile()
    assert sources.add(Source(url="https://a.example/feed", name="A"))
    assert sources.add(Source(url="https://b.example/feed"))
    assert not sources.add(Source(url="https://a.example/feed", name="A2", every="30m"))
    assert [(s.url, s.name, s.interval) for s in sources.sources] == [
        ("https://a.example/feed", "A2", 1800),
        ("https://b.example/feed", None, None),
    ]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed.xml", "example.com/feed", "http:///x"]
)
def test_only_http_and_https_urls_are_accepted(
    url: str, sources_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, sources_file, "add", url)
    assert status == 2 and out == ""
    assert err.startswith("error: url: ") and url in err and len(err.splitlines()) == 1
    assert not sources_file.exists()


def test_file_url_message_says_which_schemes_work(
    sources_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _run(capsys, sources_file, "add", "file:///etc/passwd")[2]
    assert "only http:// and https://" in err and "file://" in err


@pytest.mark.parametrize(
    ("text", "seconds"), [("30m", 1800), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("45s", 45)]
)
def test_intervals_parse_to_seconds(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("every", ["0m", "soon", "30", "m", "-5m", "2w"])
def test_bad_intervals_are_refused(
    every: str, sources_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(
        capsys, sources_file, "add", "https://example.com/rss", f"--every={every}"
    )
    assert status == 2 and err.startswith("error: every: ") and repr(every) in err


def test_removing_an_unknown_url_names_it(
    sources_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, sources_file, "add", "https://example.com/rss")
    status, _, err = _run(capsys, sources_file, "remove", "https://example.com/other")
    assert status == 2
    assert err == "error: https://example.com/other is not in the sources file\n"
    with pytest.raises(SourcesError, match="https://nowhere.example/"):
        SourcesFile().remove("https://nowhere.example/")


def test_malformed_toml_names_the_file_and_line(
    sources_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources_file.write_text('[[source]]\nurl = "https://example.com/rss"\nname = "unclosed\n')
    with pytest.raises(SourcesError) as caught:
        SourcesFile.load(sources_file)
    assert str(sources_file) in str(caught.value) and "line 3" in str(caught.value)
    status, _, err = _run(capsys, sources_file, "list")
    assert status == 2 and str(sources_file) in err and "not valid TOML" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[source]]\nurl = "gopher://example.com/"\n', "source 1: url: only http"),
        ('[[source]]\nurl = "https://a.example/"\nkind = "video"\n', "source 1: kind: "),
        ('[[source]]\nurl = "https://a.example/"\nfeed = true\n', "source 1: feed: "),
        ('[[sources]]\nurl = "https://a.example/"\n', "unknown key(s) sources"),
        ('source = "https://a.example/"\n', "[[source]] table"),
        (
            '[[source]]\nurl = "https://a.example/"\n[[source]]\nurl = "https://A.example/"\n',
            "twice",
        ),
    ],
)
def test_invalid_entries_name_the_file_and_the_problem(
    text: str, expected: str, sources_file: Path
) -> None:
    sources_file.write_text(text)
    with pytest.raises(SourcesError) as caught:
        SourcesFile.load(sources_file)
    assert str(sources_file) in str(caught.value) and expected in str(caught.value)


def test_a_file_that_is_not_utf8_or_not_a_file_is_an_error(tmp_path: Path) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe[[source]]")
    with pytest.raises(SourcesError, match="not UTF-8"):
        SourcesFile.load(binary)
    with pytest.raises(SourcesError, match="cannot read"):
        SourcesFile.load(tmp_path)


def test_missing_file_is_an_empty_list(tmp_path: Path) -> None:
    assert SourcesFile.load(tmp_path / "none.toml").sources == []


def test_quotes_backslashes_and_unicode_survive_save_and_load(sources_file: Path) -> None:
    name = 'The "Daily" \\ Backslash \\\\n Times — 日本 \u00e9'
    url = 'https://example.com/feed?q="a"&path=C:\\x'
    SourcesFile(sources=[Source(url=url, name=name, kind=SourceKind.PAGE)]).save(sources_file)
    (source,) = SourcesFile.load(sources_file).sources
    assert (source.url, source.name, source.kind) == (url, name, SourceKind.PAGE)


def test_toml_strings_escape_every_control_character() -> None:
    text = "".join(chr(i) for i in range(128)) + '"\\ é 日本 \U0001f4f0'
    assert tomllib.loads(f"s = {_toml_string(text)}")["s"] == text


def test_save_is_atomic_and_leaves_no_temp_file(sources_file: Path) -> None:
    sources_file.write_text("# old\n")
    os.chmod(sources_file, 0o640)
    SourcesFile(sources=[Source(url="https://example.com/rss")]).save(sources_file)
    assert [p.name for p in sources_file.parent.iterdir()] == ["sources.toml"]
    assert sources_file.stat().st_mode & 0o777 == 0o640
    assert tomllib.loads(sources_file.read_text()) == {
        "source": [{"url": "https://example.com/rss", "kind": "feed"}]
    }


def test_the_default_sources_file_is_beside_the_articles_folder(tmp_path: Path) -> None:
    settings = StoreSettings(articles_dir=tmp_path / "news" / "articles")
    assert settings.sources_file is None
    assert settings.sources_path == tmp_path / "news" / "sources.toml"


def test_newsdesk_sources_overrides_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "conf" / "my-sources.toml"
    monkeypatch.setenv("NEWSDESK_SOURCES", str(elsewhere))
    assert StoreSettings(articles_dir=tmp_path / "articles").sources_path == elsewhere
    assert main(["add", "https://example.com/rss"]) == 0
    assert f"in {elsewhere}" in capsys.readouterr().out
    assert [s.url for s in SourcesFile.load(elsewhere).sources] == ["https://example.com/rss"]
    # --sources-file, before or after the command, wins over the environment.
    other = tmp_path / "other.toml"
    assert main(["list", "--sources-file", str(other)]) == 0
    assert capsys.readouterr().out == ""


def test_an_empty_newsdesk_sources_means_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_SOURCES", "")
    settings = StoreSettings(articles_dir=tmp_path / "articles")
    assert settings.sources_path == tmp_path / "sources.toml"
