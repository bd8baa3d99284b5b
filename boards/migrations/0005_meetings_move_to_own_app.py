"""Meetings, reports and packs move to their own app, `meetings` (boards/meetings/).

The rows stay where they are: each table is renamed to the name Django gives it in the new app,
and the two indexes whose names Django derives from the table name follow it. In the migration
state the models leave `boards` here and `meetings.0001_initial` declares them again, without
touching the database.
"""

from django.db import migrations

# Dependents first, so the state never holds a relation to a model already gone.
MOVED = [
    "packbuild",
    "boardpack",
    "actionarising",
    "declarationofinterest",
    "attendance",
    "decision",
    "agendaitem",
    "appendix",
    "recommendation",
    "reportsection",
    "report",
    "meeting",
]


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0004_pack_builds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                *(migrations.AlterModelTable(name=name, table=f"meetings_{name}") for name in MOVED),
                migrations.RenameIndex(
                    model_name="meeting",
                    old_name="boards_meet_board_i_2ef9ef_idx",
                    new_name="meetings_me_board_i_5478e1_idx",
                ),
                migrations.RenameIndex(
                    model_name="packbuild",
                    old_name="boards_pack_meeting_04eaff_idx",
                    new_name="meetings_pa_meeting_ce55f6_idx",
                ),
            ],
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
        ),
    ]
