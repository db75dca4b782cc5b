"""course.tables: narrow fixed-width text tables that never wrap in a notebook cell."""

import pytest

from course import tables


def test_rows_align_under_their_headers_and_headers_widen_their_column():
    table = tables.Table(tables.Column("prueba", 3, "d"), tables.Column("η", 8, ".5f"),
                         tables.Column("val_accuracy", 5, ".3f"))
    lines = table.format([(1, 0.001234, 0.85), (12, 0.1, 0.9)]).splitlines()
    assert lines[0] == "prueba         η  val_accuracy"
    assert lines[1] == "1        0.00123         0.850"
    assert {len(line) for line in lines} == {len(lines[0])}


def test_a_table_wider_than_a_cell_is_refused():
    with pytest.raises(ValueError, match="caben"):
        tables.Table(*(tables.Column(f"columna {i}", 12) for i in range(8)))
