"""The SVG charts: one point per day (per month over long spans), the numbers right, and an
accessible drawing (role=img, title, description, a data table) without style attributes."""

import datetime
import re

from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from fanarchive.stats.charts import DAILY_LIMIT, time_chart

D = datetime.date(2025, 1, 1)


def day(n):
    return D + datetime.timedelta(days=n)


def test_a_point_per_day():
    chart = time_chart(
        "Hits", [("Hits", "hits", [(day(0), 3), (day(2), 5)])], start=day(0), end=day(9)
    )
    (line,) = chart.lines
    assert len(line.points) == 10
    assert [p.value for p in line.points] == [3, 0, 5, 0, 0, 0, 0, 0, 0, 0]
    assert line.total == 8
    assert chart.labels[0] == "2025-01-01" and chart.labels[-1] == "2025-01-10"
    assert not chart.monthly


def test_two_series_share_the_axis():
    chart = time_chart(
        "Hits and kudos",
        [("Hits", "hits", [(day(1), 10)]), ("Kudos", "kudos", [(day(1), 2), (day(3), 1)])],
        start=day(0),
        end=day(3),
    )
    hits, kudos = chart.lines
    assert [p.value for p in hits.points] == [0, 10, 0, 0]
    assert [p.value for p in kudos.points] == [0, 2, 0, 1]
    # The same x for the same day; a larger value is drawn higher (smaller y).
    assert [p.x for p in hits.points] == [p.x for p in kudos.points]
    assert hits.points[1].y < kudos.points[1].y < kudos.points[0].y
    assert chart.rows == [
        ("2025-01-01", [0, 0]),
        ("2025-01-02", [10, 2]),
        ("2025-01-03", [0, 0]),
        ("2025-01-04", [0, 1]),
    ]


def test_long_spans_are_drawn_per_month():
    start = datetime.date(2024, 1, 15)
    end = datetime.date(2025, 3, 2)
    chart = time_chart(
        "Hits",
        [
            (
                "Hits",
                "hits",
                [
                    (datetime.date(2024, 1, 20), 2),
                    (datetime.date(2024, 1, 31), 3),
                    (datetime.date(2025, 3, 1), 7),
                ],
            )
        ],
        start=start,
        end=end,
    )
    assert chart.monthly
    (line,) = chart.lines
    assert len(line.points) == 15  # January 2024 to March 2025
    assert line.points[0].value == 5 and line.points[-1].value == 7
    assert chart.labels[0] == "2024-01"


def test_counts_outside_the_span_are_left_out():
    chart = time_chart(
        "Hits", [("Hits", "hits", [(day(-1), 9), (day(5), 9)])], start=day(0), end=day(4)
    )
    assert chart.lines[0].total == 0


def test_one_day_is_one_point():
    chart = time_chart("Hits", [("Hits", "hits", [(day(0), 1)])], start=day(0), end=day(0))
    assert len(chart.lines[0].points) == 1


@given(
    span=st.integers(min_value=0, max_value=800),
    counts=st.lists(st.tuples(st.integers(0, 800), st.integers(0, 10_000)), max_size=40),
)
def test_points_stay_inside_the_drawing_and_totals_add_up(span, counts):
    points = [(day(n), c) for n, c in counts]
    chart = time_chart("Hits", [("Hits", "hits", points)], start=day(0), end=day(span))
    (line,) = chart.lines
    expected = len(chart.labels)
    assert len(line.points) == expected
    if span + 1 <= DAILY_LIMIT:
        assert expected == span + 1
    assert line.total == sum(c for n, c in counts if n <= span)
    for p in line.points:
        assert chart.left <= p.x <= chart.plot_right
        assert chart.top - 0.01 <= p.y <= chart.plot_bottom + 0.01


def render(chart):
    return render_to_string("stats/_chart.html", {"chart": chart, "chart_id": "c1"})


def test_the_svg_is_accessible_and_has_a_circle_per_point():
    chart = time_chart(
        "Hits and kudos of <Les Mis>",
        [("Hits", "hits", [(day(1), 4)]), ("Kudos", "kudos", [(day(2), 1)])],
        start=day(0),
        end=day(6),
    )
    html = render(chart)
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"', html)
    assert '<title id="c1-title">Hits and kudos of &lt;Les Mis&gt;</title>' in html
    assert '<desc id="c1-desc">' in html
    assert html.count('class="chart-point"') == 14  # 7 days x 2 series
    assert html.count("<polyline") == 2
    # The same numbers as a table, a row per day.
    table = html[html.index("<table") :]
    assert table.count('<th scope="row">') == 7
    assert '<td class="num">4</td>' in table
    # No inline style (the Content-Security-Policy forbids it), no script.
    assert "style=" not in html
    assert "<script" not in html
