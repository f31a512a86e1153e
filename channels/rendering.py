"""Per-channel rendering of the assistant's messages, in one place.

Input is what Rasa's channels emit for one turn: a list of message dicts with `text`,
`buttons` (title/payload) and `custom` (`{"sources": [...]}`, `{"table": {...}}`).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Button = dict[str, str]
SlackBlock = dict[str, Any]
_BOLD = re.compile(r"\*\*(.+?)\*\*")

# Block Kit limits: longer texts and lists are refused by Slack, so they are cut to fit.
SLACK_TEXT_LIMIT = 3000
SLACK_FIELD_LIMIT = 2000
SLACK_BUTTON_LABEL_LIMIT = 75
SLACK_BUTTON_VALUE_LIMIT = 2000
SLACK_MAX_BUTTONS = 25
SLACK_MAX_BLOCKS = 50


@dataclass
class TerminalView:
    """What a terminal shows for one turn, and the buttons the user can pick by number."""

    text: str
    buttons: list[Button] = field(default_factory=list)


def table_lines(table: dict[str, Any], max_cell: int = 48) -> list[str]:
    """A table as aligned plain-text lines; long cells are wrapped within their column."""
    columns = [str(c) for c in table.get("columns", [])]
    rows = [[str(cell) for cell in row] for row in table.get("rows", [])]
    if not columns:
        return []
    wrapped = [[textwrap.wrap(cell, max_cell) or [""] for cell in row] for row in [columns] + rows]
    widths = _column_widths(wrapped, len(columns))
    lines: list[str] = []
    for index, row in enumerate(wrapped):
        lines.extend(_wrapped_row_lines(row, widths))
        if index == 0:
            lines.append(_header_rule(widths))
    return lines


def _column_widths(wrapped: list[list[list[str]]], column_count: int) -> list[int]:
    """The width of each column: its longest wrapped line, the header's included."""
    return [
        max(len(line) for row in wrapped for line in (row[column] if column < len(row) else [""]))
        for column in range(column_count)
    ]


def _wrapped_row_lines(row: list[list[str]], widths: list[int]) -> list[str]:
    """One table row as text lines, as many as its most wrapped cell needs."""
    height = max(len(cell) for cell in row)
    return [
        " | ".join(
            _cell_line(row, column, depth).ljust(width) for column, width in enumerate(widths)
        ).rstrip()
        for depth in range(height)
    ]


def _cell_line(row: list[list[str]], column: int, depth: int) -> str:
    """Line `depth` of a wrapped cell; blank where the cell is missing or has fewer lines."""
    if column < len(row) and depth < len(row[column]):
        return row[column][depth]
    return ""


def _header_rule(widths: list[int]) -> str:
    return "-+-".join("-" * width for width in widths)


def render_terminal(messages: Sequence[dict[str, Any]], bold: bool = False) -> TerminalView:
    """Plain text for `make shell`: text, aligned tables, numbered buttons.

    Sources arrive twice (a short text line and a `sources` payload); the line is enough here.
    """
    lines: list[str] = []
    buttons: list[Button] = []
    for index, message in enumerate(messages):
        following = messages[index + 1] if index + 1 < len(messages) else {}
        text = message.get("text")
        if text and _table_drawn_with(message, following):
            text = table_intro(text)
        if text:
            lines.append(_terminal_emphasis(text, bold))
        if _has_table(message):
            lines.extend(table_lines(message["custom"]["table"]))
        for button in message.get("buttons") or []:
            buttons.append(button)
            lines.append(f"  {len(buttons)}. {button.get('title', '')}")
    return TerminalView("\n".join(lines), buttons)


def _table_drawn_with(message: dict[str, Any], following: dict[str, Any]) -> bool:
    """Whether a message's text introduces a table drawn right there (in it or in the next message)."""
    # A next message with text of its own introduces its table itself.
    return _has_table(message) or (_has_table(following) and not following.get("text"))


def _terminal_emphasis(text: str, bold: bool) -> str:
    """**bold** as ANSI bold on a terminal that shows it, else as the plain words."""
    return _BOLD.sub(r"\033[1m\1\033[0m" if bold else r"\1", text)


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
    custom = _custom_payload(message)
    text: str = message.get("text") or ""
    if isinstance(custom.get("table"), dict):
        text = table_intro(text)
    pieces = _slack_pieces(text, custom.get("table"), custom.get("sources"))
    blocks = [block for _, piece_blocks in pieces for block in piece_blocks]
    buttons = message.get("buttons") or []
    if buttons:
        blocks.append(_slack_actions(buttons))
    notification = "\n".join(piece_text for piece_text, _ in pieces)
    return {"text": notification[:SLACK_TEXT_LIMIT] or " ", "blocks": blocks}


def slack_post(messages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Every bot message of one turn as ONE `chat.postMessage`: a busy channel gets one post
    per question. The blocks of each message follow in order (answer, table, sources,
    buttons); the notification text joins theirs. Blocks beyond Slack's limit are dropped
    from the end of the first messages, so the last message's buttons always survive."""
    rendered = [slack_message(message) for message in messages]
    blocks = [block for post in rendered for block in post["blocks"]]
    if len(blocks) > SLACK_MAX_BLOCKS:
        last = rendered[-1]["blocks"][-SLACK_MAX_BLOCKS:]
        blocks = blocks[: SLACK_MAX_BLOCKS - len(last)] + last
    notification = "\n".join(post["text"] for post in rendered if post["text"].strip())
    return {"text": notification[:SLACK_TEXT_LIMIT] or " ", "blocks": blocks}


def _custom_payload(message: dict[str, Any]) -> dict[str, Any]:
    custom = message.get("custom")
    return custom if isinstance(custom, dict) else {}


def _slack_pieces(text: str, table: object, sources: object) -> list[tuple[str, list[SlackBlock]]]:
    """What the message shows, in order: each piece's notification text and its blocks.

    The notification text is what clients without blocks (and notifications) show.
    """
    pieces: list[tuple[str, list[SlackBlock]]] = []
    # The text of a message with sources only labels them ("Sources: ..."): the context line shows it.
    if text and not sources:
        pieces.append((text, _slack_paragraph_sections(text)))
    if isinstance(table, dict) and table.get("columns"):
        pieces.append(("\n".join(table_lines(table)), _slack_table_sections(table)))
    if isinstance(sources, list) and sources:
        pieces.append(_slack_sources(sources, text))
    return pieces


def _slack_section(mrkdwn: str) -> SlackBlock:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _slack_paragraph_sections(text: str) -> list[SlackBlock]:
    """One section per paragraph of the text."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return [_slack_section(_slack_escape(paragraph)[:SLACK_TEXT_LIMIT]) for paragraph in paragraphs]


def _slack_table_sections(table: dict[str, Any]) -> list[SlackBlock]:
    """A header section with the column names in bold, then one section per row."""
    columns = [str(c) for c in table["columns"]]
    header = _slack_section("*" + " | ".join(map(_slack_escape, columns)) + "*")
    return [header] + [_slack_row_section(row, columns) for row in table.get("rows", [])]


def _slack_row_section(row: Sequence[Any], columns: list[str]) -> SlackBlock:
    """A row as a section: its first cell as the bold label, the other cells as labelled fields."""
    cells = [str(cell) for cell in row] or [""]
    block = _slack_section(f"*{_slack_escape(cells[0])}*"[:SLACK_TEXT_LIMIT])
    fields = [
        _slack_field(columns[column] if column < len(columns) else "", cell)
        for column, cell in enumerate(cells[1:10], start=1)
    ]
    if fields:
        block["fields"] = fields
    return block


def _slack_field(column: str, cell: str) -> dict[str, str]:
    text = f"*{_slack_escape(column)}:* {_slack_escape(cell)}"
    return {"type": "mrkdwn", "text": text[:SLACK_FIELD_LIMIT]}


def _slack_sources(sources: list[Any], text: str) -> tuple[str, list[SlackBlock]]:
    """The sources as one line (labelled as the text labels them) and as a context block."""
    label = text.split(":", 1)[0] if ":" in text else "Sources"
    titles = [_source_title(source) for source in sources]
    context = {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": _slack_escape(f"{label}: {' · '.join(titles)}")[:SLACK_TEXT_LIMIT]}
        ],
    }
    return f"{label}: {'; '.join(titles)}", [context]


def _source_title(source: dict[str, Any]) -> str:
    """A source's title with its language code, "Rozdiel (SK)"; the title alone without one."""
    return f"{source.get('title')} ({str(source.get('language') or '').upper()})".replace(" ()", "")


def _slack_actions(buttons: Sequence[Button]) -> SlackBlock:
    """The buttons as an actions block: the label shown, the payload sent back as the value."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": f"faq_button_{index}",
                "text": {
                    "type": "plain_text",
                    "text": str(button.get("title", ""))[:SLACK_BUTTON_LABEL_LIMIT],
                },
                "value": str(button.get("payload", ""))[:SLACK_BUTTON_VALUE_LIMIT],
            }
            for index, button in enumerate(buttons[:SLACK_MAX_BUTTONS])
        ],
    }
