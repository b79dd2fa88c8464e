from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "gongkai.catalogue"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.catalogue import channels

        channels.register()

        from gongkai.catalogue.models import Column, Item, Kind
        from gongkai.core.pagecache import watch

        watch(Item, Column, Kind)
