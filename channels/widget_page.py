"""`python -m channels.widget_page`: serves the widget's demo page (widget/public).

A small aiohttp server rather than `python -m http.server`: it serves only the files that
exist under widget/public (no directory listing, no path outside it), GET and HEAD only,
and sends security headers with every response. The page's Content-Security-Policy allows
scripts, styles and images from this origin only (no inline script or style) and
connections to the one Rasa server the settings name (WIDGET_SERVER_URL), which it writes
into the pages (index.html, the embedded chat; launcher.html, the launcher on a site): a
page's own URL cannot point it at another server.
"""

from __future__ import annotations

import argparse
import html
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from settings import PROJECT, settings

PUBLIC = PROJECT / "widget" / "public"
SERVER_PLACEHOLDER = "__BPO_FAQ_SERVER__"
INDEX = "index.html"


def content_security_policy(server_url: str) -> str:
    """Only this origin, plus HTTP and WebSocket connections to the Rasa server."""
    parts = urlsplit(server_url)
    websocket = ("wss" if parts.scheme == "https" else "ws") + f"://{parts.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {parts.scheme}://{parts.netloc} {websocket}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def security_headers(server_url: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(server_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        # Other sites may load the widget's script and styles (one script tag embeds it).
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Cache-Control": "no-cache",
    }


def public_files(root: Path = PUBLIC) -> dict[str, Path]:
    """URL path -> file, for every file under `root`: nothing else can ever be served."""
    return {path.relative_to(root).as_posix(): path for path in root.rglob("*") if path.is_file()}


def create_app(server_url: str, root: Path = PUBLIC) -> web.Application:
    files = public_files(root)
    headers = security_headers(server_url)

    async def serve(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"] or INDEX
        path = files.get(name)
        if path is None:
            return web.Response(status=404, text="not found", headers=headers)
        body = path.read_bytes()
        if name.endswith(".html"):
            body = body.replace(SERVER_PLACEHOLDER.encode(), html.escape(server_url, quote=True).encode())
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        charset = "utf-8" if content_type.startswith("text/") or content_type.endswith("javascript") else None
        return web.Response(body=body, content_type=content_type, charset=charset, headers=headers)

    app = web.Application()
    app.router.add_get("/{name:.*}", serve)  # add_get answers HEAD too
    return app


def main(argv: list[str] | None = None) -> int:
    current = settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=current.widget_host)
    parser.add_argument("--port", type=int, default=current.widget_port)
    args = parser.parse_args(argv)
    web.run_app(create_app(current.widget_server_url), host=args.host, port=args.port, print=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
