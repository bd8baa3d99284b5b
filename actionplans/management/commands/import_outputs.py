from actionplans.imports import read_outputs
from actionplans.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import action plan outputs from a CSV file with the header "
        "programme,plan,priority,ref,title,lead_agency,start_date,due_date. "
        "All or nothing: one bad row and nothing is written."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create plans, priorities and lead agencies the file names but the register "
            "lacks (a programme must exist, with its board).",
        )

    def read(self, content, *, filename, actor, options):
        return read_outputs(
            content, filename=filename, actor=actor, create_missing=options["create_missing"]
        )
