from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "gongkai.obligations"
    verbose_name = "公开义务（标准目录）"

    def ready(self) -> None:
        from gongkai.core.pagecache import watch
        from gongkai.obligations.models import Exemption, Obligation, ObligationLink

        watch(Obligation, ObligationLink, Exemption)
