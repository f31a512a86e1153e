"""channels/rendering.py, property-based (hypothesis): any message renders, markup stays inert,
table columns line up, a typed choice picks one of the buttons or none.

Moved from tests/reliability/test_properties.py (they need no server). They belong in
test_rendering.py, which another change is editing; merge them there afterwards.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.rendering import pick_button, render_terminal, slack_message, table_lines

MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=300),
        "buttons": st.lists(
            st.fixed_dictionaries({"title": st.text(max_size=40), "payload": st.text(max_size=40)}),
            max_size=4,
        ),
        "custom": st.one_of(
            st.fixed_dictionaries(
                {
                    "sources": st.lists(
                        st.fixed_dictionaries(
                            {"title": st.text(max_size=40), "language": st.sampled_from(["en", "sk", None])}
                        ),
                        max_size=3,
                    )
                }
            ),
            st.fixed_dictionaries(
                {
                    "table": st.fixed_dictionaries(
                        {
                            "columns": st.lists(st.text(max_size=20), min_size=1, max_size=3),
                            "rows": st.lists(
                                st.lists(st.text(max_size=60), min_size=1, max_size=3), max_size=4
                            ),
                        }
                    )
                }
            ),
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MESSAGE, max_size=5))
def test_renderers_accept_any_message_and_keep_markup_inert(messages):
    view = render_terminal(messages)
    assert isinstance(view.text, str)
    for message in messages:
        rendered = slack_message(message)
        for block in rendered["blocks"]:
            text = block.get("text", {}).get("text", "")
            assert "<" not in text and ">" not in text  # escaped: no Slack links or mentions smuggled in
            assert len(text) <= 3000


COLUMNS = ["a", "b", "c"]


def _non_space(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.text(max_size=80), min_size=1, max_size=3), max_size=6),
    st.integers(min_value=4, max_value=48),
)
def test_table_columns_line_up(rows, max_cell):
    lines = table_lines({"columns": COLUMNS, "rows": rows}, max_cell=max_cell)
    header, rule, body = lines[0], lines[1], lines[2:]
    # The rule under the header gives each column's width; no cell is wider than max_cell.
    widths = [len(dashes) for dashes in rule.split("-+-")]
    assert len(widths) == len(COLUMNS) and rule == "-+-".join("-" * width for width in widths)
    assert all(0 < width <= max_cell for width in widths)
    starts = [sum(widths[:column]) + 3 * column for column in range(len(COLUMNS))]
    table_width = starts[-1] + widths[-1]

    def cells(line: str) -> list[str]:
        padded = line.ljust(table_width)  # trailing blanks are stripped from each line
        assert len(padded) == table_width, line
        assert all(padded[start - 3 : start] == " | " for start in starts[1:]), line
        return [padded[start : start + width] for start, width in zip(starts, widths, strict=True)]

    assert [cell.strip() for cell in cells(header)] == COLUMNS
    assert len(body) >= len(rows)
    body_cells = [cells(line) for line in body]
    # Every cell's text is shown in its own column, in row order: nothing lost, moved or added.
    for column in range(len(COLUMNS)):
        shown = "".join(_non_space(line[column]) for line in body_cells)
        assert shown == "".join(_non_space(row[column]) for row in rows if column < len(row))


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=20),
    st.lists(
        st.fixed_dictionaries({"title": st.text(max_size=20), "payload": st.text(max_size=20)}), max_size=5
    ),
)
def test_picking_a_button_returns_one_of_them_or_nothing(typed, buttons):
    picked = pick_button(typed, buttons)
    assert picked is None or picked in buttons
