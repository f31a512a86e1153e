"""Per-channel rendering of the assistant's messages, in one place.

Input is what Rasa's channels emit for one turn: a list of message dicts with `text`,
`buttons` (title/payload) and `custom` (`{"sources": [...]}`, `{"table": {...}}`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Button = dict[str, str]
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class TerminalView:
    """What a terminal shows for one turn, and the buttons the user can pick by number."""

    text: str
    buttons: list[Button] = field(default_factory=list)


def table_lines(table: dict[str, Any], max_cell: int = 48) -> list[str]:
    """A table as aligned plain-text lines; long cells are wrapped within their column."""
    import textwrap

    columns = [str(c) for c in table.get("columns", [])]
    rows = [[str(cell) for cell in row] for row in table.get("rows", [])]
    if not columns:
        return []
    wrapped = [[textwrap.wrap(cell, max_cell) or [""] for cell in row] for row in [columns] + rows]
    widths = [
        max(len(line) for row in wrapped for line in (row[i] if i < len(row) else [""]))
        for i in range(len(columns))
    ]
    lines: list[str] = []
    for index, row in enumerate(wrapped):
        height = max(len(cell) for cell in row)
        for depth in range(height):
            parts = [
                (row[i][depth] if i < len(row) and depth < len(row[i]) else "").ljust(widths[i])
                for i in range(len(columns))
            ]
            lines.append(" | ".join(parts).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * width for width in widths))
    return lines


def render_terminal(messages: Sequence[dict[str, Any]], bold: bool = False) -> TerminalView:
    """Plain text for `make shell`: text, aligned tables, numbered buttons.

    Sources arrive twice (a short text line and a `sources` payload); the line is enough here.
    """
    lines: list[str] = []
    buttons: list[Button] = []
    for index, message in enumerate(messages):
        text = message.get("text")
        following = messages[index + 1] if index + 1 < len(messages) else {}
        if text and _has_table(message) or (text and _has_table(following) and not following.get("text")):
            text = table_intro(text)
        if text:
            lines.append(_BOLD.sub(r"\033[1m\1\033[0m" if bold else r"\1", text))
        custom = message.get("custom") or {}
        if isinstance(custom, dict) and isinstance(custom.get("table"), dict):
            lines.extend(table_lines(custom["table"]))
        for button in message.get("buttons") or []:
            buttons.append(button)
            lines.append(f"  {len(buttons)}. {button.get('title', '')}")
    return TerminalView("\n".join(lines), buttons)


def _has_table(message: dict[str, Any]) -> bool:
    custom = message.get("custom")
    return isinstance(custom, dict) and isinstance(custom.get("table"), dict)


def table_intro(text: str) -> str:
    """A table's text fallback reduced to its first line, for channels that draw the table."""
    return text.split("\n", 1)[0]


def pick_button(typed: str, buttons: Sequence[Button]) -> Button | None:
    """The button a typed number ("2") or label ("pay") refers to, if any."""
    choice = typed.strip()
    # isdecimal, not isdigit: "¹" is a digit that int() cannot read.
    if choice.isdecimal() and 1 <= int(choice) <= len(buttons):
        return buttons[int(choice) - 1]
    for button in buttons:
        if choice.casefold() == str(button.get("title", "")).casefold():
            return button
    return None


def _slack_escape(text: str) -> str:
    """Slack mrkdwn needs &, < and > escaped; ** bold becomes * bold."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BOLD.sub(r"*\1*", escaped)


def slack_message(message: dict[str, Any]) -> dict[str, Any]:
    """One bot message as `chat.postMessage` arguments: mrkdwn text and Block Kit blocks.

    Text becomes a section, a table one section per row (label in bold, cells as fields),
    sources a context line, buttons an actions block whose values are the payloads.
    """
    blocks: list[dict[str, Any]] = []
    fallback: list[str] = []
    custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
    text = message.get("text") or ""
    if isinstance(custom.get("table"), dict):
        text = table_intro(text)
    if text and not custom.get("sources"):
        fallback.append(text)
        for paragraph in [p for p in text.split("\n\n") if p.strip()]:
            blocks.append(
                {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(paragraph)[:3000]}}
            )
    table = custom.get("table")
    if isinstance(table, dict) and table.get("columns"):
        columns = [str(c) for c in table["columns"]]
        fallback.append("\n".join(table_lines(table)))  # notification text for clients without blocks
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*" + " | ".join(map(_slack_escape, columns)) + "*"},
            }
        )
        for row in table.get("rows", []):
            cells = [str(cell) for cell in row] or [""]
            block: dict[str, Any] = {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{_slack_escape(cells[0])}*"[:3000]},
            }
            fields = [
                {
                    "type": "mrkdwn",
                    "text": f"*{_slack_escape(columns[i] if i < len(columns) else '')}:* {_slack_escape(cell)}"[
                        :2000
                    ],
                }
                for i, cell in enumerate(cells[1:10], start=1)
            ]
            if fields:
                block["fields"] = fields
            blocks.append(block)
    sources = custom.get("sources")
    if isinstance(sources, list) and sources:
        label = text.split(":", 1)[0] if ":" in text else "Sources"
        titles = [
            f"{s.get('title')} ({str(s.get('language') or '').upper()})".replace(" ()", "") for s in sources
        ]
        fallback.append(f"{label}: {'; '.join(titles)}")
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": _slack_escape(f"{label}: {' · '.join(titles)}")[:3000]}
                ],
            }
        )
    buttons = message.get("buttons") or []
    if buttons:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"faq_button_{index}",
                        "text": {"type": "plain_text", "text": str(button.get("title", ""))[:75]},
                        "value": str(button.get("payload", ""))[:2000],
                    }
                    for index, button in enumerate(buttons[:25])
                ],
            }
        )
    return {"text": "\n".join(fallback)[:3000] or " ", "blocks": blocks}
