"""Passwords: argon2id hashing with OWASP's minimum parameters, and the rules for new ones.

Hashing (OWASP Password Storage Cheat Sheet, ASVS 2.4): argon2id, m=19 MiB (19456 KiB),
t=2, p=1. A hash made with other parameters (the earlier RFC 9106 profile, or a future
change here) still verifies and is replaced at the next successful sign-in
(``needs_rehash``).

Policy (ASVS 2.1): 8 to 64 characters, any characters (spaces and emoji included, no
composition rules), refused when it is one of the 30,000 most common passwords (the
frequency list bundled in the ``zxcvbn`` package, MIT licence), one of a few words
everybody here would guess first, or the account's own username.
"""
from __future__ import annotations

import functools
import unicodedata

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from tenants.teks import _

MEMORY_KIB = 19456
TIME_COST = 2
PARALLELISM = 1

_hasher = PasswordHasher(
    time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, hash_len=32, salt_len=16, type=Type.ID,
)
# Verified against when the username is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("sakip-kpu: no such account")

MIN_LENGTH = 8
MAX_LENGTH = 64

# Words of this service and its owner that a list of world-wide passwords does not hold.
CONTEXT_WORDS = (
    "kpu", "sakip", "pemilu", "pilkada", "komisi", "pemilihan", "indonesia", "rahasia", "katasandi",
    "sandi", "password", "admin", "sekretariat", "merdeka", "bismillah", "sayang",
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


@functools.cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's list of the 30,000 most common passwords, loaded once on first use."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = FREQUENCY_LISTS["passwords"]
    if isinstance(words, str):
        words = words.split(",")
    return frozenset(words)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _is_common(password: str) -> bool:
    plain = _plain(password)
    if not plain or plain in common_passwords():
        return True
    # "kpu12345", "Pemilu2024!", "dragon2024": a known word with only digits and
    # punctuation around it is as easy to guess as the word; so is one character repeated.
    core = plain.strip("0123456789!@#$%^&*.,-_+=?~ ")
    if core in CONTEXT_WORDS or (len(core) >= 4 and core in common_passwords()):
        return True
    return len(set(plain)) <= 2


def password_problem(password: str, username: str | None = None) -> str | None:
    """The reason a new password is refused, in the words shown to the user; None if fine."""
    if len(password) < MIN_LENGTH:
        return _("Kata sandi minimal %(n)s karakter.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Kata sandi maksimal %(n)s karakter.", n=MAX_LENGTH)
    if username and _plain(password) == _plain(username):
        return _("Kata sandi tidak boleh sama dengan nama pengguna.")
    if _is_common(password):
        return _("Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain, misalnya beberapa kata acak.")
    return None
