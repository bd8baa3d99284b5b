from leeds_communities.text import text_blocks


def test_it_splits_paragraphs_and_bullet_lists():
    text = "First line\ncontinues.\n\n- one\n- two\nAfter the list.\n  \n\nLast."
    assert text_blocks(text) == [
        ("p", "First line continues."),
        ("ul", ["one", "two"]),
        ("p", "After the list."),
        ("p", "Last."),
    ]


def test_empty_text_has_no_blocks():
    assert text_blocks("   \n\n ") == []
