from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = "单位与人员"
