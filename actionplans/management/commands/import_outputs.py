from django.core.management.base import CommandError

from actionplans.imports import boards_by_name, read_outputs
from actionplans.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import action plan outputs from a CSV file with the header "
        "programme,plan,priority,ref,title,lead_agency,start_date,due_date "
        "(and optionally board). All or nothing: one bad row and nothing is written."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create programmes, plans, priorities and lead agencies the file names but the "
            "register lacks. A new programme or plan is owned by the row's board column, else "
            "by --board, else (a plan) by its programme's board.",
        )
        parser.add_argument(
            "--board",
            metavar="NAME",
            help="The board (by name or slug) that owns the programmes and plans "
            "--create-missing creates for rows whose board column is empty or absent.",
        )

    def read(self, content, *, filename, actor, options):
        board = None
        if options["board"]:
            board = boards_by_name().get(options["board"])
            if board is None:
                raise CommandError(
                    f"There is no board called “{options['board']}”: give a board's name or "
                    "slug as the register has it."
                )
        return read_outputs(
            content,
            filename=filename,
            actor=actor,
            create_missing=options["create_missing"],
            board=board,
        )
