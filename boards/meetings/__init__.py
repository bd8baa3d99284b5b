"""Meetings of boards, committee reports and board packs: an app of its own (label `meetings`),
nested in `boards/` because every meeting belongs to a board in the register."""
