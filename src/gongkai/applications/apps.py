from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.applications.clock import recompute_open_deadlines
        from gongkai.workdays.services import register_deadline_recomputer

        register_deadline_recomputer(recompute_open_deadlines)
