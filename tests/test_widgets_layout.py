"""The figure and widget layout helpers: figures fit a notebook cell, labels keep their words, one display path."""

import ipywidgets
import matplotlib.pyplot as plt
import pytest

from conftest import stub
from course import plots, widgets


@pytest.mark.parametrize("ncols, width", [(1, 4.5), (4, 3.4), (5, 3.2), (2, 6.5)])
def test_figures_never_exceed_the_cell_width(ncols, width):
    fig, _ = plots.figure(ncols=ncols, width=width, height=3.0)
    png = plots.to_png(fig)
    assert widgets.png_size(png)[0] <= plots.CELL_WIDTH_PX
    assert widgets.png_size(png)[0] == round(min(ncols * width * 100, plots.CELL_WIDTH_PX))
    assert not plt.fignum_exists(fig.number)


def test_fit_gives_every_label_room_and_aligns_a_group():
    slider = ipywidgets.FloatSlider(description="alpha (Leaky ReLU, ELU)")
    short = ipywidgets.IntSlider(description="capas")
    button = ipywidgets.Button(description="Restaurar los pesos de la clase", icon="undo")
    widgets.fit(slider, short, button)
    label = widgets.text_px(slider.description)
    assert slider.style.description_width == short.style.description_width == f"{label}px"
    assert int(slider.layout.width[:-2]) - label >= widgets.SLIDER_TRACK_PX
    assert int(button.layout.width[:-2]) > widgets.text_px(button.description)


def test_panel_draws_once_per_change_and_says_what_is_missing():
    calls = []

    def draw(a, b):
        calls.append((a, b))
        if a > 1:
            raise NotImplementedError()
        fig, ax = plots.figure()
        return fig, f"a = {a}"

    controls = {"a": ipywidgets.IntSlider(value=0, description="a"), "b": ipywidgets.Dropdown(options=[1, 2])}
    box = widgets.panel(controls, draw, "`f` (ejercicio 1)")
    message, image, caption = box.children[-1].children
    assert calls == [(0, 1)] and image.value[:4] == b"\x89PNG" and caption.value == "a = 0"
    assert image.layout.width == f"{widgets.png_size(image.value)[0]}px"  # natural size, never stretched
    controls["a"].value = 2
    assert len(calls) == 2 and message.value == widgets.pending_message("`f` (ejercicio 1)")
    assert plt.get_fignums() == []


def test_figure_view_with_a_stub_leaves_no_figure():
    view = widgets.FigureView("`relu`")

    def make():
        plots.figure()
        stub()

    assert view.draw(make) is False and plt.get_fignums() == []


def test_panel_set_moves_several_controls_with_one_drawing_and_needs_may_depend_on_the_values():
    calls = []

    def draw(a, b):
        calls.append((a, b))
        if b == "stub":
            raise NotImplementedError()
        return plots.figure()[0]

    controls = {"a": ipywidgets.IntSlider(value=0), "b": ipywidgets.Dropdown(options=["ok", "stub"])}
    panel = widgets.Panel(controls, draw, lambda a, b: f"`{b}` ({a})")
    panel.set(a=3, b="stub")
    assert calls == [(0, "ok"), (3, "stub")]
    assert panel.view.message.value == widgets.pending_message("`stub` (3)")
    assert plt.get_fignums() == []
