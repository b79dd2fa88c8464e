from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "gongkai.console"
    verbose_name = "工作台"

    def ready(self) -> None:
        from gongkai.console import signals  # noqa: F401
