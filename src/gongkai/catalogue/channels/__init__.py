"""Publication channels besides the portal and its feeds: the WeChat official
account, school notice boards (A4 PDF) and LED screens (plain text). Each is a
sender of the outbox (``gongkai.catalogue.outbox``), registered at start-up."""

from __future__ import annotations


def register() -> None:
    """Register the senders with the outbox (called from ``CatalogueConfig.ready``)."""
    from gongkai.catalogue import outbox
    from gongkai.catalogue.channels.led import export_to_led
    from gongkai.catalogue.channels.noticeboard import export_to_notice_board
    from gongkai.catalogue.channels.wechat import post_to_wechat
    from gongkai.catalogue.models import ChannelKind

    outbox.register_sender(ChannelKind.WECHAT, post_to_wechat)
    outbox.register_sender(ChannelKind.NOTICE_BOARD, export_to_notice_board)
    outbox.register_sender(ChannelKind.LED, export_to_led)
