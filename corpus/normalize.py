"""Name normalisation shared by alias lookup, search and automatic linking."""

import unicodedata

# Letters that do not decompose into a base letter plus a combining accent.
_FOLD = str.maketrans({"ı": "i", "ə": "e", "Ə": "e", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})


def normalize_name(name: str) -> str:
    """Case- and accent-insensitive form: 'Türkiye' -> 'turkiye', 'Ilham Əliyev' -> 'ilham eliyev'."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("’", "'").split())
