"""Prints an HS256 bearer token for fractal's local JWT check: ``token.py SECRET`` (valid for a day)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
import uuid


def _part(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(secret: str) -> str:
    header = _part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": str(uuid.uuid4()), "email": "conformance@example.invalid", "role": "authenticated",
              "aud": "authenticated", "exp": int(time.time()) + 86400}  # fmt: skip
    payload = _part(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_part(signature)}"


if __name__ == "__main__":
    print(token(sys.argv[1]))
