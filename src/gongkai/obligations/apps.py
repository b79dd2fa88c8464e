from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "gongkai.obligations"
    verbose_name = "公开义务（标准目录）"
