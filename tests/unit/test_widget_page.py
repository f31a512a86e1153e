"""channels/widget_page.py: only the public files, with security headers, and the page
connects to the configured Rasa server only."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from channels.widget_page import SERVER_PLACEHOLDER, content_security_policy, create_app

SERVER = "http://127.0.0.1:5005"


def _fetch(root: Path, method: str, path: str) -> tuple[int, dict[str, str], str]:
    async def go() -> Any:
        async with TestClient(TestServer(create_app(SERVER, root))) as client:
            response = await client.request(method, path)
            return response.status, dict(response.headers), await response.text()

    return asyncio.run(go())


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "public"
    (root / "vendor").mkdir(parents=True)
    (root / "index.html").write_text(
        f'<meta name="bpo-faq-server" content="{SERVER_PLACEHOLDER}"><script src="page.js"></script>',
        encoding="utf-8",
    )
    (root / "page.js").write_text("console.log(1)", encoding="utf-8")
    (root / "vendor" / "lib.js").write_text("x", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return root


def test_the_page_names_the_configured_server_and_sends_security_headers(tmp_path):
    status, headers, body = _fetch(_site(tmp_path), "GET", "/")
    assert status == 200 and f'content="{SERVER}"' in body
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "ws://127.0.0.1:5005" in policy and "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"].startswith("text/html")


def test_only_existing_public_files_are_served(tmp_path):
    root = _site(tmp_path)
    assert _fetch(root, "GET", "/vendor/lib.js")[0] == 200
    assert _fetch(root, "HEAD", "/page.js")[0] == 200
    for path in ("/vendor/", "/vendor", "/../secret.txt", "/%2e%2e/secret.txt", "/missing.js"):
        status, headers, body = _fetch(root, "GET", path)
        assert status == 404 and "secret" not in body, path
        assert "Content-Security-Policy" in headers
    assert _fetch(root, "POST", "/index.html")[0] == 405


def test_a_tls_server_gets_a_secure_websocket_in_the_policy():
    assert "wss://chat.example.org" in content_security_policy("https://chat.example.org")


def test_every_page_names_the_configured_server(tmp_path):
    root = _site(tmp_path)
    tag = f'<script src="chat-widget.js" data-server-url="{SERVER_PLACEHOLDER}" defer></script>'
    (root / "launcher.html").write_text(tag, encoding="utf-8")
    status, _, body = _fetch(root, "GET", "/launcher.html")
    assert status == 200 and f'data-server-url="{SERVER}"' in body and SERVER_PLACEHOLDER not in body


def test_the_real_pages_have_no_inline_script_or_style_and_no_server_override():
    from channels.widget_page import PUBLIC

    for name in ("index.html", "launcher.html"):
        page = (PUBLIC / name).read_text(encoding="utf-8")
        assert "<script>" not in page and "<style" not in page and "style=" not in page, name
        assert SERVER_PLACEHOLDER in page, name
    assert "server=" not in (PUBLIC / "page.js").read_text(encoding="utf-8")
