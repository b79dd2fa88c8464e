"""Encryption of personal data at rest (identity numbers of applicants).

The key comes from ``GONGKAI_FIELD_KEY`` (a Fernet key); without it one is generated
once into the local data folder, like the secret key. Losing the key loses the
encrypted fields, so production deployments set it explicitly and back it up.
"""

from __future__ import annotations

import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet() -> Fernet:
    key = os.environ.get("GONGKAI_FIELD_KEY")
    if not key:
        path = settings.DATA_DIR / "field_key"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(Fernet.generate_key().decode())
        key = path.read_text().strip()
    return Fernet(key.encode())


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return "（无法解密：加密密钥已变更）"


def mask_identity(number: str) -> str:
    """``440102199001011234`` → ``440102********1234``; short numbers keep 2+2."""
    number = number.strip()
    if len(number) >= 14:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    if len(number) > 4:
        return number[:2] + "*" * (len(number) - 4) + number[-2:]
    return "*" * len(number)


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)
