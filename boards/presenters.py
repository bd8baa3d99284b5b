"""Turn board and terms statuses into words and GOV.UK tag classes, once, for every template."""

from dataclasses import dataclass

from boards.models import Board, TermsOfReference

_BOARD_STATUS_CLASSES = {
    Board.Status.ACTIVE: "govuk-tag--green",
    Board.Status.SHADOW: "govuk-tag--yellow",
    Board.Status.DISBANDED: "govuk-tag--grey",
}

_TERMS_STATUS_CLASSES = {
    TermsOfReference.Status.DRAFT: "govuk-tag--yellow",
    TermsOfReference.Status.AGREED: "govuk-tag--green",
    TermsOfReference.Status.AGREED_SUBJECT_TO: "govuk-tag--turquoise",
    TermsOfReference.Status.SUPERSEDED: "govuk-tag--grey",
}


@dataclass(frozen=True)
class Tag:
    text: str
    classes: str


def board_status_tag(board: Board) -> Tag:
    status = Board.Status(board.status)
    return Tag(text=status.label, classes=_BOARD_STATUS_CLASSES[status])


def terms_status_tag(terms: TermsOfReference) -> Tag:
    status = TermsOfReference.Status(terms.status)
    return Tag(text=status.label, classes=_TERMS_STATUS_CLASSES[status])


def board_tree_note(board: Board) -> str:
    """What the structure tree says after a board's kind: only a shadow body is marked."""
    return " (shadow)" if board.status == Board.Status.SHADOW else ""
