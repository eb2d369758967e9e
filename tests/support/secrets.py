"""Where a secret must not be: its encoded forms, a search of texts and files, and the assertions."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote, quote_plus

from harness import EngineStack

TRACEBACK = "Traceback (most recent call last)"


def assert_no_traceback(*texts: str) -> None:
    """No text shows a Python traceback."""
    for text in texts:
        assert TRACEBACK not in text, text[text.index(TRACEBACK) :][:2000]


def encoded_forms(secret: str) -> dict[str, bytes]:
    """``secret`` as it would read in clear, URL-encoded, JSON-escaped, hex or base64 text.

    Base64 depends on where in the encoded data the secret starts: for each of the three
    alignments, the part of the secret that fills whole 3-byte groups encodes to a fixed string,
    found in the base64 (standard or URL-safe) of anything that holds the secret.
    """
    raw = secret.encode()
    forms = {
        "plain": raw,
        "URL-encoded": quote(secret, safe="").encode(),
        "form-encoded": quote_plus(secret).encode(),
        "JSON-escaped": json.dumps(secret)[1:-1].encode(),
        "hex": raw.hex().encode(),
    }
    for skip in range(3):
        whole = raw[skip : skip + (len(raw) - skip) // 3 * 3]
        forms[f"base64 (+{skip})"] = base64.b64encode(whole)
        forms[f"base64url (+{skip})"] = base64.urlsafe_b64encode(whole)
    return forms


def secret_lines(
    secret: str, *, texts: Mapping[str, str] | None = None, roots: Iterable[Path] = ()
) -> list[tuple[str, str]]:
    """``(where, line)`` for every line holding ``secret`` in any of its :func:`encoded_forms`:
    in the named texts, and in every file under ``roots`` (gzip files read decompressed). A form
    other than plain is named in ``where``."""
    needles = encoded_forms(secret)
    found: list[tuple[str, str]] = []

    def search(where: str, data: bytes) -> None:
        for line in data.splitlines():
            for name, needle in needles.items():
                if needle in line:
                    label = where if name == "plain" else f"{where} ({name})"
                    found.append((label, line.decode(errors="replace")))

    for name, text in (texts or {}).items():
        search(name, text.encode())
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            search(str(path), data)
    return found


def assert_secret_absent(
    secret: str, *, stack: EngineStack | None = None, roots: Iterable[Path] = (), texts: Iterable[str] = ()
) -> None:
    """``secret`` is in none of ``texts``, no file under ``roots`` and (given ``stack``) not in
    ``pulumi stack export`` as printed."""
    named = {f"text {i}": text for i, text in enumerate(texts)}
    if stack is not None:
        named["pulumi stack export"] = stack.export_text()
    leaks = secret_lines(secret, texts=named, roots=roots)
    assert not leaks, "the secret is in " + "; ".join(f"{where}: {line[:300]}" for where, line in leaks)
