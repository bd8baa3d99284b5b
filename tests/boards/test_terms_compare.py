"""Comparing two versions of a board's terms of reference: words removed and added are marked,
section by section, and a long section compares in near-linear time."""

import random
import time

import pytest
from django.urls import reverse

from boards.compare import _mark_words, compare_terms
from tests.factories import BoardFactory, TermsFactory, TermsSectionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new", "left", "right"),
    [
        (
            "The board meets four times a year.",
            "The board meets six times a year.",
            "The board meets <del>four</del> times a year.",
            "The board meets <ins>six</ins> times a year.",
        ),
        (
            "Members are appointed annually.",
            "Members are appointed annually by the council.",
            "Members are appointed <del>annually.</del>",
            "Members are appointed <ins>annually by the council.</ins>",
        ),
        (
            "Quorum: three members, one of whom must be a councillor.",
            "Quorum: four members, two of whom must be councillors.",
            "Quorum: <del>three</del> members, <del>one</del> of whom must be "
            "<del>a councillor.</del>",
            "Quorum: <ins>four</ins> members, <ins>two</ins> of whom must be "
            "<ins>councillors.</ins>",
        ),
        ("", "New section text.", "", "<ins>New section text.</ins>"),
        ("Old section text.", "", "<del>Old section text.</del>", ""),
        (
            "Tom & Jerry <b>",
            "Tom & Jerry <i>",
            "Tom &amp; Jerry <del>&lt;b&gt;</del>",
            "Tom &amp; Jerry <ins>&lt;i&gt;</ins>",
        ),
    ],
)
def test_removed_and_added_words_are_marked_and_text_escaped(old, new, left, right):
    assert _mark_words(old, new) == (left, right)


def test_a_change_of_spacing_alone_is_not_marked_but_keeps_each_sides_spacing():
    left, right = _mark_words("The board  meets\nquarterly.", "The board meets quarterly.")
    assert left == "The board  meets\nquarterly."
    assert right == "The board meets quarterly."


def test_common_words_between_two_changes_still_match_in_a_long_section():
    # 300 words: long enough for difflib's heuristic that ignores very common words.
    filler = " ".join(f"word{i} the" for i in range(150))
    left, right = _mark_words(f"{filler} red of the blue", f"{filler} green of the yellow")
    assert left.endswith("<del>red</del> of the <del>blue</del>")
    assert right.endswith("<ins>green</ins> of the <ins>yellow</ins>")


def _prose(rng: random.Random, words: int) -> str:
    """Text shaped like English: a few very common words, a long tail of rarer ones, and a full
    stop every 8 to 25 words."""
    common = ["the", "of", "and", "to", "a", "in", "be", "will", "board", "members"]
    rare = [f"term{n}" for n in range(3000)]
    vocabulary = common + rare
    weights = [60, 35, 30, 25, 20, 18, 12, 10, 8, 8] + [1 / (n + 1) ** 0.6 for n in range(3000)]
    chosen = rng.choices(vocabulary, weights, k=words)
    end = rng.randint(8, 25)
    while end < words:
        chosen[end - 1] += "."
        end += rng.randint(8, 25)
    return " ".join(chosen)


def _edited(rng: random.Random, text: str) -> str:
    """One word in forty replaced, inserted or removed."""
    words = text.split()
    for _ in range(len(words) // 40):
        i = rng.randrange(len(words))
        edit = rng.choice(["replace", "insert", "delete"])
        if edit == "replace":
            words[i] = f"new{i}"
        elif edit == "insert":
            words.insert(i, f"added{i}")
        else:
            del words[i]
    return " ".join(words)


def _texts(words: int) -> tuple[str, str]:
    rng = random.Random(words)
    old = _prose(rng, words)
    return old, _edited(rng, old)


def _cpu_seconds(old: str, new: str) -> float:
    # CPU time of this process: other work on a busy machine does not count against it.
    started = time.process_time()
    left, right = _mark_words(old, new)
    spent = time.process_time() - started
    assert "<del>" in left and "<ins>" in right
    return spent


def test_an_8000_word_section_compares_in_near_linear_time():
    short, long = _texts(1000), _texts(8000)
    times = {1000: [], 8000: []}
    for _ in range(5):  # interleaved, the best of five each
        times[1000].append(_cpu_seconds(*short))
        times[8000].append(_cpu_seconds(*long))
    best_short, best_long = min(times[1000]), min(times[8000])
    # Linear would be 8 times; comparing characters or spaces as tokens was over 50 times.
    assert best_long < 20 * best_short, times


def test_sentences_that_differ_are_compared_word_by_word():
    old = "The board meets quarterly. Members serve three years. The chair is elected."
    new = "The board meets quarterly. Members serve four years. The chair is elected."
    left, right = _mark_words(old, new)
    assert (
        left
        == "The board meets quarterly. Members serve <del>three</del> years. The chair is elected."
    )
    assert (
        right
        == "The board meets quarterly. Members serve <ins>four</ins> years. The chair is elected."
    )


def test_the_page_shows_both_versions_section_by_section(client):
    board = BoardFactory(slug="communities-board")
    one = TermsFactory(board=board, version=1)
    two = TermsFactory(board=board, version=2)
    TermsSectionFactory(terms=one, heading="Meetings", body="The board meets quarterly.")
    TermsSectionFactory(terms=two, heading="Meetings", body="The board meets monthly.")
    TermsSectionFactory(terms=two, heading="Quorum", body="Three members.")
    sections = compare_terms(one, two)
    assert [(s.heading, s.changed) for s in sections] == [("Meetings", True), ("Quorum", True)]
    url = reverse("boards:terms_compare", args=[board.slug])
    html = client.get(url, {"a": 1, "b": 2}).content.decode()
    assert "The board meets <del>quarterly.</del>" in html
    assert "The board meets <ins>monthly.</ins>" in html
    assert "<ins>Three members.</ins>" in html
