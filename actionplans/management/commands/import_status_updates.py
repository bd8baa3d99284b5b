from actionplans.imports import read_status_updates
from actionplans.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import quarterly RAG returns from a CSV file with the header "
        "programme,plan,ref,year,quarter,rag,commentary. Imports act as governance support "
        "and may load historic returns into closed quarters. All or nothing."
    )

    def read(self, content, *, filename, actor, options):
        return read_status_updates(content, filename=filename, actor=actor)
