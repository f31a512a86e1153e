"""Terminal rendering: text, aligned tables, numbered buttons picked by number or label."""

from __future__ import annotations

from channels.rendering import pick_button, render_terminal, table_lines

BUTTONS = [{"title": "Pay", "payload": "/ask_pay"}, {"title": "Skills & hiring", "payload": "/ask_skills"}]


def test_buttons_become_a_numbered_list_and_sources_a_single_line():
    view = render_terminal(
        [
            {"text": "**BPO:** an answer"},
            {"text": "Sources: the English article"},
            {"custom": {"sources": [{"id": "article_en", "title": "Call centers and BPOs"}]}},
            {"text": "You could also ask about:", "buttons": BUTTONS},
        ]
    )
    assert view.text.splitlines() == [
        "BPO: an answer",
        "Sources: the English article",
        "You could also ask about:",
        "  1. Pay",
        "  2. Skills & hiring",
    ]
    assert view.buttons == BUTTONS


def test_a_button_is_picked_by_number_or_label():
    assert pick_button("2", BUTTONS)["payload"] == "/ask_skills"
    assert pick_button(" skills & HIRING ", BUTTONS)["payload"] == "/ask_skills"
    assert pick_button("3", BUTTONS) is None
    assert pick_button("what is BPO?", BUTTONS) is None
    assert pick_button("¹", BUTTONS) is None  # a digit, but not a number int() reads


def _offsets(line: str, mark: str) -> list[int]:
    return [offset for offset, character in enumerate(line) if character == mark]


def _assert_columns_line_up(lines: list[str], expected_cells: list[list[str]]) -> None:
    """Every row's separators sit where the header rule has its "+", and each cell starts just after."""
    rule = lines[1]
    separators = _offsets(rule, "+")
    rows = lines[:1] + lines[2:]
    assert len(separators) == len(expected_cells[0]) - 1
    for line in rows:
        assert _offsets(line, "|") == separators, line
    starts = [0] + [separator + 2 for separator in separators]
    for line, cells in zip(rows, expected_cells, strict=True):
        assert [line[start : start + len(cell)] for start, cell in zip(starts, cells, strict=True)] == cells
        assert all(line[start - 1] == " " for start in starts[1:] if start <= len(line)), line


def test_tables_are_aligned_plain_text() -> None:
    lines = table_lines(
        {
            "columns": ["Aspect", "BPO", "Call center"],
            "rows": [["Pay", "salary", "per call"], ["Skills", "specialist", "communication"]],
        }
    )
    assert lines == [
        "Aspect | BPO        | Call center",
        "-------+------------+--------------",
        "Pay    | salary     | per call",
        "Skills | specialist | communication",
    ]
    _assert_columns_line_up(
        lines,
        [
            ["Aspect", "BPO", "Call center"],
            ["Pay", "salary", "per call"],
            ["Skills", "specialist", "communication"],
        ],
    )


def test_wrapped_cells_stay_in_their_column() -> None:
    lines = table_lines(
        {
            "columns": ["Aspect", "BPO", "Call center"],
            "rows": [
                ["Pay", "salary, often with a bonus for targets", "per call"],
                ["Skills", "specialist", "communication"],
            ],
        },
        max_cell=16,
    )
    _assert_columns_line_up(
        lines,
        [
            ["Aspect", "BPO", "Call center"],
            ["Pay", "salary, often", "per call"],
            ["", "with a bonus for", ""],
            ["", "targets", ""],
            ["Skills", "specialist", "communication"],
        ],
    )


def test_a_table_without_columns_has_no_lines_and_short_rows_get_blank_cells() -> None:
    assert table_lines({"rows": [["Pay", "salary"]]}) == []
    assert table_lines({"columns": ["Aspect", "BPO"], "rows": [["Pay"]]}) == [
        "Aspect | BPO",
        "-------+----",
        "Pay    |",
    ]


def test_slack_message_uses_mrkdwn_blocks_and_escapes_markup():
    from channels.rendering import slack_message

    rendered = slack_message({"text": "**BPO:** <b>x</b> & y", "buttons": BUTTONS})
    section, actions = rendered["blocks"]
    assert section["text"] == {"type": "mrkdwn", "text": "*BPO:* &lt;b&gt;x&lt;/b&gt; &amp; y"}
    assert [e["value"] for e in actions["elements"]] == ["/ask_pay", "/ask_skills"]


def test_slack_message_renders_sources_as_context_and_tables_as_fields():
    from channels.rendering import slack_message

    sources = slack_message(
        {"text": "Zdroje: ...", "custom": {"sources": [{"title": "Rozdiel", "language": "sk"}]}}
    )
    assert sources["blocks"] == [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Zdroje: Rozdiel (SK)"}]}
    ]
    table = slack_message(
        {
            "custom": {
                "table": {
                    "columns": ["Aspect", "BPO", "Call center"],
                    "rows": [["Pay", "salary", "per call"]],
                }
            }
        }
    )
    row = table["blocks"][1]
    assert row["text"]["text"] == "*Pay*"
    assert [f["text"] for f in row["fields"]] == ["*BPO:* salary", "*Call center:* per call"]


def test_a_tables_text_fallback_is_reduced_to_its_intro_where_the_table_is_drawn():
    from channels.rendering import slack_message

    table = {"columns": ["Aspect", "BPO", "Call center"], "rows": [["Pay", "salary", "per call"]]}
    fallback = "How they compare:\n- **Pay**: BPO: salary | Call center: per call"
    view = render_terminal([{"text": fallback}, {"custom": {"table": table}}])
    assert view.text.splitlines()[0] == "How they compare:"
    assert "- Pay" not in view.text and "Pay    | salary" in view.text
    assert (
        slack_message({"text": fallback, "custom": {"table": table}})["blocks"][0]["text"]["text"]
        == "How they compare:"
    )


def test_bold_is_shown_as_ansi_bold_on_a_terminal_that_shows_it() -> None:
    assert render_terminal([{"text": "**BPO:** an answer"}], bold=True).text == "\033[1mBPO:\033[0m an answer"


def test_a_text_followed_by_a_table_with_its_own_text_is_kept_whole() -> None:
    table = {"columns": ["Aspect", "BPO"], "rows": [["Pay", "salary"]]}
    view = render_terminal([{"text": "Intro\nfirst line"}, {"text": "Table:", "custom": {"table": table}}])
    assert view.text.splitlines()[:3] == ["Intro", "first line", "Table:"]


def test_slack_message_notification_text_joins_text_and_table_and_is_never_empty() -> None:
    from channels.rendering import slack_message

    table = {"columns": ["Aspect", "BPO"], "rows": [["Pay", "salary"]]}
    rendered = slack_message({"text": "How they compare:\n- Pay", "custom": {"table": table}})
    assert rendered["text"] == "How they compare:\nAspect | BPO\n-------+-------\nPay    | salary"
    assert [block["text"]["text"] for block in rendered["blocks"]] == [
        "How they compare:",
        "*Aspect | BPO*",
        "*Pay*",
    ]
    assert slack_message({}) == {"text": " ", "blocks": []}


def test_slack_message_keeps_within_block_kit_limits() -> None:
    from channels.rendering import slack_message

    buttons = [{"title": "t" * 100, "payload": f"/ask_{n}"} for n in range(30)]
    actions = slack_message({"buttons": buttons})["blocks"][0]
    assert len(actions["elements"]) == 25
    assert {len(button["text"]["text"]) for button in actions["elements"]} == {75}
    assert actions["elements"][24]["action_id"] == "faq_button_24"
    long_row = {"columns": ["a", "b"], "rows": [["label"] + [f"cell {n}" for n in range(12)]]}
    fields = slack_message({"custom": {"table": long_row}})["blocks"][1]["fields"]
    assert [field["text"] for field in fields[:2]] == ["*b:* cell 0", "*:* cell 1"]
    assert len(fields) == 9


def test_a_turn_is_one_slack_post_with_every_messages_blocks_in_order():
    from channels.rendering import slack_post

    messages = [
        {"text": "The answer."},
        {
            "text": "Sources: A",
            "custom": {"sources": [{"id": "a", "title": "A", "language": "en", "file": "a.md"}]},
        },
        {"text": "More?", "buttons": [{"title": "Pay", "payload": "/ask_pay"}]},
    ]
    post = slack_post(messages)
    kinds = [block["type"] for block in post["blocks"]]
    assert kinds[0] == "section" and "context" in kinds and kinds[-1] == "actions"
    assert post["text"].startswith("The answer.") and "More?" in post["text"]


def test_a_long_turn_keeps_slacks_block_limit_and_the_last_buttons():
    from channels.rendering import SLACK_MAX_BLOCKS, slack_post

    long_answer = {"text": "\n\n".join(f"Paragraph {i}." for i in range(80))}
    buttons = {"text": "More?", "buttons": [{"title": "Pay", "payload": "/ask_pay"}]}
    post = slack_post([long_answer, buttons])
    assert len(post["blocks"]) <= SLACK_MAX_BLOCKS
    assert post["blocks"][-1]["type"] == "actions"
