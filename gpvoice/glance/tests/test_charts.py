"""The SVG charts: labelled, every value printed (colour is never the only cue), text escaped."""

from __future__ import annotations

from gpvoice.core.glance import Bars, Heatmap, SmallMultiples
from gpvoice.glance import charts


def test_bars_have_a_title_a_description_and_print_each_value():
    svg = str(
        charts.bars_svg(Bars(title="Coverage", description="Shares", bars=[("Practices", 0.5, "50.0%")]))
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-labelledby=" in svg
    assert "<title id=" in svg and ">Coverage</title>" in svg and ">Shares</desc>" in svg
    assert ">Practices</text>" in svg and ">50.0%</text>" in svg
    assert 'width="150.0"' in svg  # half of the 300-unit bar


def test_a_share_outside_0_to_1_is_drawn_within_the_bar():
    svg = str(charts.bars_svg(Bars(title="T", bars=[("Over", 7.0, "700%"), ("Under", -1.0, "-100%")])))
    assert 'width="300.0"' in svg and 'width="0.0"' in svg


def test_text_is_escaped():
    svg = str(charts.bars_svg(Bars(title="<script>x</script>", bars=[("<b>&", 0.1, '"><svg onload=1>')])))
    assert "<script>" not in svg and "<b>" not in svg and "onload=1>" not in svg
    assert "&lt;script&gt;" in svg


def test_heatmap_cells_print_their_figure_and_dark_cells_use_white_text():
    svg = str(
        charts.heatmap_svg(
            Heatmap(title="Engagement", columns=["Voted"], rows=[("PCN A", [0.95]), ("PCN B", [None])])
        )
    )
    assert ">95%</text>" in svg and ">n/a</text>" in svg
    assert 'fill="#ffffff">95%' in svg


def test_each_chart_has_a_table_of_the_same_figures():
    small = SmallMultiples(
        title="By PCN",
        panels=[
            Bars(title="PCN A", bars=[("Practices", 0.5, "1 of 2"), ("Patients", 0.4, "40.0%")]),
            Bars(title="PCN B", bars=[("Practices", 1.0, "2 of 2"), ("Patients", 1.0, "100.0%")]),
        ],
    )
    table = charts.chart_table(small)
    assert table.head == ["", "Practices", "Patients"]
    assert table.rows == [["PCN A", "1 of 2", "40.0%"], ["PCN B", "2 of 2", "100.0%"]]
    html = str(charts.chart_svg(small))
    assert html.count("<svg") == 2 and "PCN A</h3>" in html
    heat = charts.chart_table(Heatmap(title="H", columns=["A"], rows=[("R", [0.333])]))
    assert heat.rows == [["R", "33%"]]
