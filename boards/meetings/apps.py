from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "boards.meetings"
    label = "meetings"
    verbose_name = "Meetings, reports and packs"
