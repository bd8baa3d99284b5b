"""Plain text from the seeds and from forms, shown as paragraphs and bullet lists."""

import re

Block = tuple[str, str | list[str]]


def text_blocks(text: str) -> list[Block]:
    """Blank-line-separated chunks as ("p", text) paragraphs, with runs of "- " lines as
    ("ul", items) lists, so templates never mark up free text by hand."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        paragraph: list[str] = []
        items: list[str] = []
        for line in (line.strip() for line in chunk.splitlines()):
            if not line:
                continue
            if line.startswith("- "):
                if paragraph:
                    blocks.append(("p", " ".join(paragraph)))
                    paragraph = []
                items.append(line[2:].strip())
            else:
                if items:
                    blocks.append(("ul", items))
                    items = []
                paragraph.append(line)
        if paragraph:
            blocks.append(("p", " ".join(paragraph)))
        if items:
            blocks.append(("ul", items))
    return blocks
