"""The secret search the engine tests rely on (``tests.support.secrets.secret_lines``) finds
encoded copies too."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest

from tests.support.secrets import secret_lines

SECRET = 'og+key/0123456789abcdef="k"&'


@pytest.mark.parametrize("prefix", ["", "a", "ab", "abc", "Authorization: GenieKey "])
@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_base64_at_any_alignment_is_found(prefix: str, encode: object) -> None:
    blob = encode((prefix + SECRET + " and more").encode()).decode()  # type: ignore[operator]
    assert secret_lines(SECRET, texts={"log": f"payload={blob}"})


@pytest.mark.parametrize(
    "text",
    [
        quote(SECRET, safe=""),
        quote_plus(SECRET),
        json.dumps({"token": SECRET}),
        SECRET.encode().hex(),
        f"plain {SECRET}",
    ],
)
def test_url_json_and_hex_forms_are_found(text: str) -> None:
    assert secret_lines(SECRET, texts={"log": text})


def test_unrelated_text_is_not_a_leak() -> None:
    other = 'og+key/fedcba9876543210="k"&'
    texts = {"log": base64.b64encode(other.encode()).decode() + json.dumps(other) + quote(other)}
    assert secret_lines(SECRET, texts=texts) == []
