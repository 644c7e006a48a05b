"""Persistent reading state: identity rules, damage, atomic writes, merging."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.store import state as state_module
from reader.core.store.identity import content_key, default_state_dir, state_path
from reader.core.store.state import MAX_HISTORY, ReadingState
from reader.core.store.state_file import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[3]


def art(id: str, body: str = "Body text.", title: str = "Title") -> Article:
    return Article(id=id, path=id, format="text", title=title, body=body)


def load(path: Path) -> ReadingState:
    state, warnings = ReadingState.load(path)
    assert warnings == []
    return state


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "archive.json"


class Clock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(state_module, "_now", fake)
    return fake


# --- basics -----------------------------------------------------------------


def test_missing_file_is_empty_state(path: Path) -> None:
    state = load(path)
    a = art("a.txt")
    assert not state.is_read(a)
    assert not state.is_starred(a)
    assert state.position(a) is None
    assert state.history == []
    assert state.last_selected is None
    assert not state.dirty


def test_round_trip(path: Path) -> None:
    a, b = art("a.txt", "alpha"), art("b.md", "beta")
    state = load(path)
    state.set_read(a, True)
    state.set_starred(b, True)
    state.set_position(a, 1234)
    state.remember_query("poutine")
    state.remember_query("donbass ukraine")
    state.set_last_selected("b.md")
    assert state.dirty
    assert state.save() == []
    assert not state.dirty

    again = load(path)
    assert again.is_read(a) and not again.is_starred(a)
    assert again.is_starred(b) and not again.is_read(b)
    assert again.position(a) == 1234
    assert again.position(b) is None
    assert again.history == ["poutine", "donbass ukraine"]
    assert again.last_selected == "b.md"


def test_unset_marks_round_trip(path: Path) -> None:
    a = art("a.txt")
    state = load(path)
    state.set_read(a)
    state.set_starred(a)
    state.save()
    state.set_read(a, False)
    state.set_starred(a, False)
    state.set_last_selected(None)
    state.save()
    again = load(path)
    assert not again.is_read(a) and not again.is_starred(a)
    assert again.last_selected is None


def test_save_without_changes_is_a_no_op(path: Path) -> None:
    state = load(path)
    assert state.save() == []
    assert not path.exists()
    a = art("a.txt")
    state.set_read(a)
    state.save()
    before = path.stat().st_mtime_ns
    state.set_read(a)  # same value: nothing changes
    state.set_last_selected(None)
    assert not state.dirty
    assert state.save() == []
    assert path.stat().st_mtime_ns == before


def test_file_is_private_json(path: Path) -> None:
    state = load(path)
    state.set_read(art("a.txt"))
    state.save()
    assert path.stat().st_mode & 0o077 == 0
    document = json.loads(path.read_text())
    assert document["format"] == "reader-state"
    assert document["version"] == 1
    assert document["articles"]["a.txt"]["read"] is True


def test_history_deduplicated_capped_most_recent_last(path: Path) -> None:
    state = load(path)
    for i in range(MAX_HISTORY + 50):
        state.remember_query(f"q{i}")
    state.remember_query("q60")
    state.remember_query("  ")
    state.remember_query("x\x1b]52;c;evil\x07")
    history = state.history
    assert len(history) == MAX_HISTORY
    assert history[-2] == "q60"
    assert history.count("q60") == 1
    assert "q0" not in history
    assert "\x1b" not in history[-1] and "\x07" not in history[-1]
    state.save()
    assert load(path).history == history


def test_set_position_validates() -> None:
    state = ReadingState(Path("/nonexistent/x.json"))
    a = art("a.txt")
    for bad in (-1, 2**60, True):
        with pytest.raises(ValueError):
            state.set_position(a, bad)
    state.set_position(a, 0)
    assert state.position(a) == 0


def test_content_key() -> None:
    key = content_key(art("a", "body"))
    assert len(key) == 16 and int(key, 16) >= 0
    assert content_key(art("other-id", "body")) == key
    assert content_key(art("a", "body!")) != key
    assert content_key(art("a", "body", title="Other")) != key
    assert content_key(art("a", "lone \udc80 surrogate")) != key


def test_state_path_per_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    base = tmp_path / "s"
    assert state_path(base, [one, two]) == state_path(base, [two, one, one])
    assert state_path(base, [one]) != state_path(base, [two])
    assert state_path(base, [one]) != state_path(base, [one, two])
    assert state_path(base, [one]).parent == base
    assert state_path(base, [one]).suffix == ".json"
    # Relative and absolute spellings of one folder are the same archive.
    monkeypatch.chdir(tmp_path)
    assert state_path(base, ["one"]) == state_path(base, [one])


def test_default_state_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("READER_STATE_DIR", str(tmp_path / "custom"))
    assert default_state_dir() == tmp_path / "custom"
    monkeypatch.delenv("READER_STATE_DIR")
    assert default_state_dir().name == "reader"


# --- identity rules ---------------------------------------------------------


def test_moved_file_keeps_its_state(path: Path) -> None:
    old = art("old/name.txt", "the same text")
    state = load(path)
    state.set_read(old)
    state.set_starred(old)
    state.set_position(old, 77)
    state.save()

    moved = art("new/place.txt", "the same text")
    again = load(path)
    assert again.is_read(moved) and again.is_starred(moved)
    assert again.position(moved) == 77
    # A change stores the state under the new id, keeping the rest.
    again.set_starred(moved, False)
    again.save()
    third = load(path)
    assert third.is_read(moved) and not third.is_starred(moved)
    assert third.position(moved) == 77
    assert third.is_starred(old)  # the old entry is untouched


def test_unrelated_new_file_has_no_state(path: Path) -> None:
    state = load(path)
    state.set_read(art("a.txt", "one text"))
    state.save()
    assert not load(path).is_read(art("b.txt", "another text"))


def test_edited_file_keeps_marks_but_drops_position(path: Path) -> None:
    original = art("a.txt", "first version")
    state = load(path)
    state.set_read(original)
    state.set_starred(original)
    state.set_position(original, 500)
    state.save()

    edited = art("a.txt", "second version, longer")
    again = load(path)
    assert again.is_read(edited) and again.is_starred(edited)
    assert again.position(edited) is None
    # Any change records the new content; the old position stays gone.
    again.set_read(edited, True)
    again.save()
    third = load(path)
    assert third.position(edited) is None
    assert third.position(original) is None
    third.set_position(edited, 12)
    assert third.position(edited) == 12


def test_marked_agrees_with_the_single_lookups(path: Path) -> None:
    """The bulk answer of a second start equals asking article by article:
    ids with entries, moved files found by content, edited files, an id
    whose own entry wins over another entry with its text."""
    rng = random.Random(7)
    texts = [f"text {n}" for n in range(6)]
    state = load(path)
    for n in range(40):
        article = art(f"a{n % 12}.txt", rng.choice(texts))
        choice = rng.randrange(4)
        if choice == 0:
            state.set_read(article, rng.random() < 0.7)
        elif choice == 1:
            state.set_starred(article, rng.random() < 0.7)
        elif choice == 2:
            state.set_position(article, n)
    state.save()
    again = load(path)
    shown = [art(f"{prefix}{n}.txt", text) for prefix in "ab" for n in range(14) for text in texts]
    read, starred = again.marked(shown)
    assert read == {a.id for a in shown if again.is_read(a)}
    assert starred == {a.id for a in shown if again.is_starred(a)}
    assert read and starred and read != starred
    assert load(path.with_name("empty.json")).marked(shown) == (set(), set())
    # only the articles with one of mark_keys()'s ids or content keys can be marked
    ids, keys = again.mark_keys()
    concerned = [a for a in shown if a.id in ids or content_key(a) in keys]
    assert len(concerned) < len(shown)
    assert again.marked(concerned) == (read, starred)
    assert load(path.with_name("empty.json")).mark_keys() == (set(), set())


# --- damage -----------------------------------------------------------------

VALID_HEAD = '{"format": "reader-state", "version": 1, '

CORRUPT = {
    "truncated JSON": (VALID_HEAD + '"articles": {"a.txt": {"hash": ').encode(),
    "empty file": b"",
    "not an object": b"[1, 2, 3]",
    "articles is a list": (VALID_HEAD + '"articles": [], "history": []}').encode(),
    "history is a mapping": (VALID_HEAD + '"articles": {}, "history": {}}').encode(),
    "last_selected is a number": (VALID_HEAD + '"articles": {}, "last_selected": 3}').encode(),
    "other format": b'{"format": "something", "version": 1}',
    "future version": b'{"format": "reader-state", "version": 2}',
    "binary junk": bytes(range(256)) * 20,
    "NaN constant": (VALID_HEAD + '"articles": {}, "x": NaN}').encode(),
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "latin-1 text": (VALID_HEAD + '"articles": {"caf\xe9": 1}}').encode("latin-1"),
}


@pytest.mark.parametrize("content", list(CORRUPT.values()), ids=list(CORRUPT))
def test_corrupt_file_is_moved_aside(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    state, warnings = ReadingState.load(path)
    assert len(warnings) == 1
    assert "\n" not in warnings[0]
    assert "moved it to archive.json.corrupt-" in warnings[0]
    aside = list(path.parent.glob("archive.json.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes() == content
    assert not path.exists()
    assert state.history == [] and state.last_selected is None
    # The app goes on with an empty state and can save.
    state.set_read(art("a.txt"))
    assert state.save() == []
    assert load(path).is_read(art("a.txt"))


def test_directory_in_place_of_the_file(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "inside").write_text("x")
    state, warnings = ReadingState.load(path)
    assert len(warnings) == 1 and "moved it to" in warnings[0]
    assert (next(path.parent.glob("archive.json.corrupt-*")) / "inside").exists()
    state.set_starred(art("a.txt"))
    assert state.save() == []
    assert load(path).is_starred(art("a.txt"))


def test_fifo_in_place_of_the_file_does_not_hang(path: Path) -> None:
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    _, warnings = ReadingState.load(path)
    assert len(warnings) == 1 and "not a regular file" in warnings[0]


def test_a_file_over_the_cap_is_moved_aside_unread(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    _, warnings = ReadingState.load(path)
    assert len(warnings) == 1 and "too large" in warnings[0] and "moved it to" in warnings[0]
    assert not path.exists()


def test_two_corrupt_files_in_one_second_both_kept(path: Path) -> None:
    path.parent.mkdir(parents=True)
    for content in (b"junk one", b"junk two"):
        path.write_bytes(content)
        ReadingState.load(path)
    kept = sorted(p.read_bytes() for p in path.parent.glob("archive.json.corrupt-*"))
    assert kept == [b"junk one", b"junk two"]


def test_invalid_entries_are_dropped_with_one_warning(path: Path) -> None:
    good = {"hash": content_key(art("good.txt")), "read": True, "starred": False}
    good |= {"position": 3, "updated": 5.0}
    document = {
        "format": "reader-state",
        "version": 1,
        "articles": {
            "good.txt": good,
            "bad-hash.txt": good | {"hash": "XYZ"},
            "bad-read.txt": good | {"read": "yes"},
            "bad-position.txt": good | {"position": -4},
            "bool-position.txt": good | {"position": True},
            "huge-position.txt": good | {"position": 10**30},
            "bad-time.txt": good | {"updated": "now"},
            "future-time.txt": good | {"updated": 1e300},
            "not-a-dict.txt": 7,
            "": good,
            "x" * 5000: good,
        },
        "history": [
            {"query": "kept", "updated": 1.0},
            {"query": 5, "updated": 1.0},
            {"query": "no time"},
            "bare string",
            {"query": "   ", "updated": 2.0},
            {"query": "esc\x1b[2J", "updated": 3.0},
        ],
        "last_selected": {"id": 12, "updated": 1.0},
    }
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document))
    state, warnings = ReadingState.load(path)
    assert warnings == [f"{path}: ignored 15 invalid entries"]
    assert path.exists()  # not moved aside
    assert state.is_read(art("good.txt"))
    assert state.position(art("good.txt")) == 3
    assert not state.is_read(art("bad-read.txt", "other body"))
    assert state.history == ["kept", "esc\u241b[2J"]
    assert state.last_selected is None


def test_unwritable_location_reports_and_stays_dirty(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    state = load(blocker / "sub" / "archive.json")
    state.set_read(art("a.txt"))
    warnings = state.save()
    assert len(warnings) == 1 and "not saved" in warnings[0]
    assert state.dirty


def test_stale_temp_files_are_cleaned_on_save(path: Path) -> None:
    path.parent.mkdir(parents=True)
    stale = path.parent / ".archive.json.abc123.tmp"
    stale.write_text('{"partial')
    other = path.parent / ".other.json.abc123.tmp"
    other.write_text("not ours")
    state = load(path)
    state.set_read(art("a.txt"))
    state.save()
    assert not stale.exists()
    assert other.exists()


# --- merging ----------------------------------------------------------------


def test_two_instances_keep_each_others_marks(path: Path) -> None:
    a, b = art("a.txt", "aaa"), art("b.txt", "bbb")
    first, second = load(path), load(path)
    first.set_read(a)
    second.set_read(b)
    assert first.save() == []
    assert second.save() == []
    both = load(path)
    assert both.is_read(a) and both.is_read(b)
    # The second instance picked up the first one's mark when it saved.
    assert second.is_read(a)


def test_merge_is_per_field(path: Path, clock: Clock) -> None:
    a = art("a.txt")
    first, second = load(path), load(path)
    first.set_read(a)
    second.set_starred(a)  # later, but only touches "starred"
    second.set_position(a, 9)
    first.save()
    second.save()
    merged = load(path)
    assert merged.is_read(a) and merged.is_starred(a)
    assert merged.position(a) == 9


def test_merge_conflict_newer_entry_wins(path: Path, clock: Clock) -> None:
    a = art("a.txt")
    base = load(path)
    base.set_read(a)
    base.save()
    first, second = load(path), load(path)
    second.set_read(a, False)
    first.set_position(a, 20)
    second.set_position(a, 30)  # both changed the position; second's entry is newer
    second.save()
    first.save()
    merged = load(path)
    assert merged.position(a) == 30
    assert not merged.is_read(a)  # only second changed "read"


def test_merge_conflict_same_field(path: Path, clock: Clock) -> None:
    a = art("a.txt")
    first, second = load(path), load(path)
    second.set_position(a, 1)  # earlier
    first.set_position(a, 2)  # later
    first.save()
    second.save()  # saved last, but its change is older
    assert load(path).position(a) == 2


def test_merge_history_and_last_selected(path: Path, clock: Clock) -> None:
    first, second = load(path), load(path)
    first.remember_query("alpha")
    second.remember_query("beta")
    first.remember_query("gamma")
    second.set_last_selected("x.txt")
    first.set_last_selected("y.txt")  # later
    second.save()
    first.save()
    merged = load(path)
    assert merged.history == ["alpha", "beta", "gamma"]
    assert merged.last_selected == "y.txt"


def test_save_picks_up_corruption_by_someone_else(path: Path) -> None:
    state = load(path)
    state.set_read(art("a.txt"))
    state.save()
    path.write_bytes(b"\x00garbage")
    state.set_read(art("b.txt", "other"))
    warnings = state.save()
    assert len(warnings) == 1 and "moved it to" in warnings[0]
    again = load(path)
    assert again.is_read(art("b.txt", "other"))
    assert again.is_read(art("a.txt"))  # still in this instance's memory


# --- processes --------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from reader.core.articles.article import Article
from reader.core.store.state import ReadingState

path, count = Path(sys.argv[1]), int(sys.argv[2])
articles = [
    Article(id=f"dir/a{i}.txt", path=f"a{i}.txt", format="text", title=f"T{i}",
            body=f"body of article {i} " * 20)
    for i in range(count)
]
state, warnings = ReadingState.load(path)
assert not warnings, warnings
version = 0
while True:
    version += 1
    for article in articles:
        state.set_position(article, version)
    state.set_last_selected(f"v{version}")
    state.remember_query(f"query {version}")
    warnings = state.save()
    assert not warnings, warnings
    if version == 1:
        print("ready", flush=True)
"""


def test_kill_during_saves_leaves_a_complete_file(tmp_path: Path) -> None:
    path = tmp_path / "archive.json"
    count = 2000
    articles = [
        Article(
            id=f"dir/a{i}.txt",
            path=f"a{i}.txt",
            format="text",
            title=f"T{i}",
            body=f"body of article {i} " * 20,
        )
        for i in range(count)
    ]
    rng = random.Random(1234)
    for _ in range(30):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(count)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        try:
            signal_delay = rng.uniform(0.0, 0.15)
            process.wait(timeout=signal_delay)
        except subprocess.TimeoutExpired:
            pass
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        assert process.returncode == -signal.SIGKILL

        document = json.loads(path.read_bytes())  # always a complete file
        state = load(path)
        last = state.last_selected
        assert last is not None and last.startswith("v")
        version = int(last[1:])
        assert {state.position(article) for article in articles} == {version}
        assert state.history[-1] == f"query {version}"
        assert len(document["articles"]) == count
    # Whatever temporary files the kills left are removed by the next save.
    state.set_read(articles[0])
    assert state.save() == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


MARKER = """
import sys
from pathlib import Path
from reader.core.articles.article import Article
from reader.core.store.state import ReadingState

path, prefix, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
state, warnings = ReadingState.load(path)
assert not warnings, warnings
for i in range(count):
    article = Article(id=f"{prefix}{i}", path="x", format="text", title=prefix, body=str(i))
    state.set_read(article)
    warnings = state.save()
    assert not warnings, warnings
"""


def test_two_processes_keep_each_others_marks(path: Path) -> None:
    count = 40
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MARKER, str(path), prefix, str(count)],
            cwd=REPO,
        )
        for prefix in ("left-", "right-")
    ]
    for process in processes:
        assert process.wait() == 0
    state = load(path)
    for prefix in ("left-", "right-"):
        for i in range(count):
            article = Article(id=f"{prefix}{i}", path="x", format="text", title=prefix, body=str(i))
            assert state.is_read(article), article.id


def test_a_save_reads_the_file_again_only_when_another_instance_wrote_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merging needs the file only when someone else replaced it since this
    instance read or wrote it (100k entries: half of every save)."""
    reads: list[bool] = []
    read_disk = ReadingState._read_disk

    def counted(state: ReadingState, warnings: list[str], *, locked: bool) -> object:
        reads.append(locked)
        return read_disk(state, warnings, locked=locked)

    monkeypatch.setattr(ReadingState, "_read_disk", counted)
    a, b = load(path), load(path)
    reads.clear()
    a.set_read(art("one.md"))
    assert a.save() == [] and reads == [True]  # no file when a loaded: read under the lock
    reads.clear()
    a.set_starred(art("one.md"))
    assert a.save() == [] and reads == []  # the file is as a left it
    b.set_read(art("two.md"))
    assert b.save() == [] and reads == [True]  # a wrote since b loaded
    reads.clear()
    a.set_read(art("three.md"))
    assert a.save() == [] and reads == [True]  # b wrote since a's last save
    fresh = load(path)
    assert all(fresh.is_read(art(i)) for i in ("one.md", "two.md", "three.md"))
    assert fresh.is_starred(art("one.md"))
