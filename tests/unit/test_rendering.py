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


def test_tables_are_aligned_plain_text():
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
    assert len({line.index("|") for line in lines if "|" in line}) == 1


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
