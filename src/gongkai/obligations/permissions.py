"""Who may change a catalogue, link items and exempt units."""

from __future__ import annotations

from gongkai.accounts.models import Unit, User
from gongkai.accounts.permissions import is_in_scope
from gongkai.accounts.roles import Role


def can_edit_catalogue(user: User, owner: Unit) -> bool:
    """The disclosure office of the unit keeping the catalogue (or above it)."""
    return (
        user.is_active
        and user.has_role(Role.DISCLOSURE_OFFICER)
        and is_in_scope(user, owner)
    )


def can_link_items(user: User, unit: Unit) -> bool:
    """The author drafting the item confirms its obligation; the office may too."""
    return (
        user.is_active
        and (user.has_role(Role.AUTHOR) or user.has_role(Role.DISCLOSURE_OFFICER))
        and is_in_scope(user, unit)
    )


def can_exempt(user: User, unit: Unit) -> bool:
    return (
        user.is_active
        and user.has_role(Role.DISCLOSURE_OFFICER)
        and is_in_scope(user, unit)
    )
