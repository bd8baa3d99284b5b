"""The meetings app's models, taken over from `boards` (see boards.0005_meetings_move_to_own_app,
which renamed their tables): declared in the migration state only, since the tables exist. Their
content types follow them, so permissions and admin history keep pointing at the same rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = [
    "actionarising",
    "agendaitem",
    "appendix",
    "attendance",
    "boardpack",
    "decision",
    "declarationofinterest",
    "meeting",
    "packbuild",
    "recommendation",
    "report",
    "reportsection",
]


def _relabel(apps, old_label, new_label):
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(
        content_type.objects.filter(app_label=new_label, model__in=MOVED).values_list(
            "model", flat=True
        )
    )
    content_type.objects.filter(app_label=old_label, model__in=set(MOVED) - taken).update(
        app_label=new_label
    )


def content_types_to_meetings(apps, schema_editor):
    _relabel(apps, "boards", "meetings")


def content_types_to_boards(apps, schema_editor):
    _relabel(apps, "meetings", "boards")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('actionplans', '0004_return_reminders'),
        ('boards', '0005_meetings_move_to_own_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AgendaItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveIntegerField()),
                        ('title', models.CharField(help_text='The agenda heading: published even when the paper is exempt.', max_length=300)),
                        ('description', models.TextField(blank=True)),
                        ('minutes', models.TextField(blank=True, help_text='What was said, if minuted.')),
                    ],
                    options={
                        'ordering': ['meeting', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='Decision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('outcome', models.CharField(choices=[('agreed', 'Agreed'), ('agreed_with_amendments', 'Agreed with amendments'), ('not_agreed', 'Not agreed'), ('noted', 'Noted')], max_length=30)),
                        ('text', models.TextField(blank=True, verbose_name='resolution')),
                        ('source', models.CharField(blank=True, max_length=300)),
                        ('agenda_item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='decision', to='meetings.agendaitem')),
                    ],
                ),
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(help_text='The day of the meeting (see the date note for precision).')),
                        ('date_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month only')], default='day', help_text="'Month only' when the sources give the month but not the day.", max_length=10)),
                        ('date_note', models.CharField(blank=True, help_text="How precisely the sources give the date, e.g. 'the report is dated April 2007'.", max_length=300)),
                        ('start_time', models.TimeField(blank=True, help_text='Leave blank if not recorded.', null=True)),
                        ('venue', models.CharField(blank=True, help_text='Leave blank if not recorded.', max_length=300)),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='scheduled', max_length=20)),
                        ('contact', models.CharField(blank=True, help_text='Who to ask about the meeting or its papers.', max_length=300)),
                        ('notes', models.TextField(blank=True)),
                        ('source', models.CharField(blank=True, max_length=300)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('board', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='boards.board')),
                    ],
                    options={
                        'ordering': ['-date', '-start_time', 'board__name'],
                    },
                ),
                migrations.CreateModel(
                    name='DeclarationOfInterest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=300)),
                        ('interest', models.TextField(help_text='The nature of the interest declared.')),
                        ('agenda_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='declarations', to='meetings.agendaitem')),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='declarations', to='boards.person')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='declarations', to='meetings.meeting')),
                    ],
                    options={
                        'verbose_name_plural': 'declarations of interest',
                        'ordering': ['meeting', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='BoardPack',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('variant', models.CharField(choices=[('public', 'Public pack'), ('members', "Members' pack")], max_length=10)),
                        ('version', models.PositiveIntegerField()),
                        ('content_hash', models.CharField(max_length=64)),
                        ('file', models.FileField(upload_to='packs/')),
                        ('page_count', models.PositiveIntegerField()),
                        ('generated_at', models.DateTimeField()),
                        ('generated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='packs', to='meetings.meeting')),
                    ],
                    options={
                        'ordering': ['meeting', 'variant', '-version'],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, help_text='If not in the register.', max_length=300)),
                        ('representing', models.CharField(blank=True, max_length=300)),
                        ('kind', models.CharField(choices=[('present', 'Present'), ('apologies', 'Apologies'), ('in_attendance', 'In attendance')], default='present', max_length=20)),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='boards.person')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='meetings.meeting')),
                    ],
                    options={
                        'verbose_name_plural': 'attendance',
                        'ordering': ['meeting', 'kind', 'name'],
                    },
                ),
                migrations.AddField(
                    model_name='agendaitem',
                    name='meeting',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda_items', to='meetings.meeting'),
                ),
                migrations.CreateModel(
                    name='ActionArising',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='action')),
                        ('owner', models.CharField(blank=True, max_length=300)),
                        ('due', models.DateField(blank=True, null=True)),
                        ('output', models.OneToOneField(blank=True, help_text='The tracked output it became.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_arising', to='actionplans.output')),
                        ('agenda_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions', to='meetings.agendaitem')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='meetings.meeting')),
                    ],
                    options={
                        'verbose_name_plural': 'actions arising',
                        'ordering': ['meeting', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PackBuild',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('variant', models.CharField(choices=[('public', 'Public pack'), ('members', "Members' pack")], max_length=10)),
                        ('content_hash', models.CharField(max_length=64)),
                        ('state', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Being built'), ('done', 'Ready'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('step', models.CharField(blank=True, max_length=200)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pack_builds', to='meetings.meeting')),
                        ('pack', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='meetings.boardpack')),
                    ],
                    options={
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=500)),
                        ('report_of', models.CharField(help_text='e.g. Director of Communities.', max_length=300)),
                        ('report_to', models.CharField(max_length=300)),
                        ('date', models.DateField(blank=True, null=True)),
                        ('date_note', models.CharField(blank=True, help_text="How the report dates itself, e.g. 'April 2007'.", max_length=100)),
                        ('author_name', models.CharField(blank=True, max_length=300)),
                        ('author_telephone', models.CharField(blank=True, max_length=60)),
                        ('author_email', models.EmailField(blank=True, max_length=254)),
                        ('wards_affected', models.CharField(blank=True, choices=[('none', 'No specific wards'), ('all', 'All wards'), ('named', 'Named wards')], max_length=10)),
                        ('wards_named', models.CharField(blank=True, max_length=500)),
                        ('equality_implications', models.BooleanField(blank=True, help_text='Equality and diversity / cohesion and integration.', null=True)),
                        ('eligible_for_call_in', models.BooleanField(blank=True, null=True)),
                        ('is_exempt', models.BooleanField(default=False, verbose_name='contains confidential or exempt information')),
                        ('exempt_rule', models.CharField(blank=True, help_text='e.g. 10.4 (3) — the Schedule 12A paragraph.', max_length=100, verbose_name='access to information procedure rule')),
                        ('exempt_appendix', models.CharField(blank=True, help_text='If only an appendix is.', max_length=50, verbose_name='exempt appendix number')),
                        ('summary', models.TextField(blank=True, verbose_name='summary of main issues')),
                        ('background_documents', models.TextField(blank=True)),
                        ('source', models.CharField(blank=True, max_length=300)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('author_user', models.ForeignKey(blank=True, help_text='The account of the author, who may edit the report.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='authored_reports', to=settings.AUTH_USER_MODEL)),
                        ('board', models.ForeignKey(help_text='The board it is written for; its members may read it if it is exempt.', on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='boards.board')),
                    ],
                    options={
                        'ordering': ['-date', 'subject'],
                    },
                ),
                migrations.CreateModel(
                    name='Recommendation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveIntegerField()),
                        ('number', models.CharField(blank=True, max_length=20)),
                        ('text', models.TextField()),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='meetings.report')),
                    ],
                    options={
                        'ordering': ['report', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='Appendix',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveIntegerField()),
                        ('number', models.CharField(help_text='e.g. 1 or A.', max_length=20)),
                        ('title', models.CharField(max_length=300)),
                        ('kind', models.CharField(choices=[('text', 'Authored text'), ('pdf', 'Uploaded PDF'), ('live_summary', 'Live summary progress table')], default='text', max_length=20)),
                        ('body', models.TextField(blank=True)),
                        ('file', models.FileField(blank=True, upload_to='appendices/')),
                        ('is_exempt', models.BooleanField(default=False)),
                        ('exempt_rule', models.CharField(blank=True, max_length=100, verbose_name='access to information procedure rule')),
                        ('demonstration', models.BooleanField(default=False, help_text='Made up to show how exempt material is handled; not real.')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('programme', models.ForeignKey(blank=True, help_text='For a live summary table: the programme it summarises.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='actionplans.programme')),
                        ('quarter', models.ForeignKey(blank=True, help_text='For a live summary table: the quarter.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='actionplans.quarter')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appendices', to='meetings.report')),
                    ],
                    options={
                        'verbose_name_plural': 'appendices',
                        'ordering': ['report', 'order'],
                    },
                ),
                migrations.AddField(
                    model_name='agendaitem',
                    name='report',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='agenda_items', to='meetings.report'),
                ),
                migrations.CreateModel(
                    name='ReportSection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveIntegerField()),
                        ('number', models.CharField(blank=True, help_text='As the report numbers it.', max_length=20)),
                        ('heading', models.CharField(max_length=300)),
                        ('body', models.TextField(help_text="Paragraphs separated by a blank line; '- ' for bullets.")),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='meetings.report')),
                    ],
                    options={
                        'ordering': ['report', 'order'],
                    },
                ),
                migrations.AddIndex(
                    model_name='meeting',
                    index=models.Index(fields=['board', 'date'], name='meetings_me_board_i_5478e1_idx'),
                ),
                migrations.AddConstraint(
                    model_name='boardpack',
                    constraint=models.UniqueConstraint(fields=('meeting', 'variant', 'version'), name='board_pack_unique_version'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.CheckConstraint(condition=models.Q(('person__isnull', False), models.Q(('name', ''), _negated=True), _connector='OR'), name='attendance_names_someone', violation_error_code='no_attendee'),
                ),
                migrations.AddIndex(
                    model_name='packbuild',
                    index=models.Index(fields=['meeting', 'variant', 'content_hash'], name='meetings_pa_meeting_ce55f6_idx'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.CheckConstraint(condition=models.Q(('is_exempt', False), models.Q(('exempt_rule', ''), _negated=True), _connector='OR'), name='report_exempt_names_rule', violation_error_code='exempt_without_rule', violation_error_message='Name the access to information procedure rule.'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('wards_affected', 'named'), _negated=True), models.Q(('wards_named', ''), _negated=True), _connector='OR'), name='report_named_wards_listed', violation_error_code='wards_not_named', violation_error_message='Name the wards affected.'),
                ),
                migrations.AddConstraint(
                    model_name='recommendation',
                    constraint=models.UniqueConstraint(fields=('report', 'order'), name='recommendation_unique_order'),
                ),
                migrations.AddConstraint(
                    model_name='appendix',
                    constraint=models.UniqueConstraint(fields=('report', 'order'), name='appendix_unique_order'),
                ),
                migrations.AddConstraint(
                    model_name='appendix',
                    constraint=models.CheckConstraint(condition=models.Q(('is_exempt', False), models.Q(('exempt_rule', ''), _negated=True), _connector='OR'), name='appendix_exempt_names_rule', violation_error_code='exempt_without_rule', violation_error_message='Name the access to information procedure rule.'),
                ),
                migrations.AddConstraint(
                    model_name='appendix',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'live_summary'), _negated=True), models.Q(('programme__isnull', False), ('quarter__isnull', False)), _connector='OR'), name='appendix_live_summary_has_quarter', violation_error_code='live_summary_incomplete', violation_error_message='A live summary table needs a programme and a quarter.'),
                ),
                migrations.AddConstraint(
                    model_name='agendaitem',
                    constraint=models.UniqueConstraint(fields=('meeting', 'order'), name='agenda_item_unique_order'),
                ),
                migrations.AddConstraint(
                    model_name='reportsection',
                    constraint=models.UniqueConstraint(fields=('report', 'order'), name='report_section_unique_order'),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_meetings, content_types_to_boards),
    ]
