from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        from gongkai.accounts.models import Department, Unit
        from gongkai.core.pagecache import watch

        watch(Unit, Department)
