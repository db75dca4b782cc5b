"""Headless tests of the playground of notebook 06 (course.playground), with the course's answers in the kit."""

import struct

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import stub

from autograder.reference import mlp as ref
from course import playground as pg
from course import regularization as reg
from course.widgets import pending_message

KIT = reg.Kit(ref.net, ref.he_init, ref.adam_step, ref.l2_penalty_grad,
              dropout_forward=ref.dropout_forward, dropout_backward=ref.dropout_backward)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("name", list(pg.DATASETS))
def test_datasets_are_two_balanced_classes_in_the_plane(name):
    X, y = pg.DATASETS[name](200, 0.1, 0)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert set(np.unique(y)) == {0.0, 1.0} and abs(y.mean() - 0.5) < 0.1
    assert np.array_equal(X, pg.DATASETS[name](200, 0.1, 0)[0])  # same seed, same points


@pytest.mark.parametrize("name", ["XOR", "círculo"])
def test_training_reduces_both_losses(name):
    play = pg.Playground(KIT, pg.Settings(dataset=name, layers=1, neurons=6, learning_rate=0.03))
    play.train(40)
    assert play.epoch == 40 and len(play.history["train"]) == len(play.history["test"]) == 41
    assert play.history["train"][-1] < 0.5 * play.history["train"][0]
    assert play.history["test"][-1] < 0.5 * play.history["test"][0]


def test_same_seed_same_run_and_restart_starts_over():
    a, b = pg.Playground(KIT), pg.Playground(KIT)
    a.train(3)
    b.train(3)
    assert a.history == b.history
    first = a.history["train"][0]
    a.restart()
    assert a.epoch == 0 and a.history["train"] == [first]


def test_architecture_changes_rebuild_the_network_other_settings_keep_it():
    play = pg.Playground(KIT, pg.Settings(layers=1, neurons=4))
    play.train(2)
    play.configure(layers=3, neurons=5)
    assert [play.params[f"W{l}"].shape for l in (1, 2, 3, 4)] == [(2, 5), (5, 5), (5, 5), (5, 2)]
    assert play.epoch == 0
    play.train(2)
    before = {k: v.copy() for k, v in play.params.items()}
    play.configure(learning_rate=0.1, lam=0.01, dropout=0.2, batch_size=30)
    assert play.epoch == 2 and all(np.array_equal(before[k], play.params[k]) for k in before)
    play.configure(dataset="lunas")
    assert play.epoch == 0 and play.settings.dataset == "lunas"
    with pytest.raises(ValueError, match="desconocidos"):
        play.configure(colour="rojo")


def test_l2_and_dropout_go_through_the_kit():
    calls = {"l2": 0, "forward": 0, "backward": 0}

    def counting(name, function):
        def wrapped(*args):
            calls[name] += 1
            return function(*args)
        return wrapped

    kit = KIT.using(l2_penalty_grad=counting("l2", ref.l2_penalty_grad),
                    dropout_forward=counting("forward", ref.dropout_forward),
                    dropout_backward=counting("backward", ref.dropout_backward))
    play = pg.Playground(kit, pg.Settings(layers=2, batch_size=50))
    play.train(1)
    assert calls == {"l2": 0, "forward": 0, "backward": 0}
    play.configure(lam=0.01, dropout=0.3)
    play.train(1)
    assert calls == {"l2": 3, "forward": 6, "backward": 6}  # 150 points / 50 = 3 mini-batches, 2 hidden layers


def test_pause_tick_and_step():
    play = pg.Playground(KIT)
    assert not play.playing and play.tick() is False and play.epoch == 0  # paused: a tick does nothing
    play.step()
    assert play.epoch == 1 and not play.playing
    assert play.toggle() is True and play.tick() is True
    assert play.epoch == 1 + pg.EPOCHS_PER_TICK
    assert play.toggle() is False
    play.tick()
    assert play.epoch == 1 + pg.EPOCHS_PER_TICK


@pytest.mark.parametrize("batch_size, epochs", [(150, 5), (10, 5), (5, 2), (1, 1)])
def test_a_tick_bounds_the_number_of_adam_steps(batch_size, epochs):
    play = pg.Playground(KIT, pg.Settings(batch_size=batch_size))
    play.toggle()
    play.tick()
    assert play.epoch == epochs  # 150 training points: 1, 15, 30 or 150 steps per epoch, at most 75 per tick


def test_redraw_is_a_png_of_bounded_size_and_follows_the_network():
    play = pg.Playground(KIT, pg.Settings(dataset="XOR", layers=2, neurons=3))
    first = play.png()
    width, height = png_size(first)
    assert plt.get_fignums() == []  # shown only as the widget's PNG, not again by Jupyter's inline backend
    assert 600 <= width <= 1100 and 200 <= height <= 400
    play.train(5)
    assert play.png() != first
    title = play.axes[0].get_title()
    assert "XOR" in title and "época 5" in title
    assert len(play.artists["lines"][0].get_xdata()) == 6
    assert play.mosaic().shape == (3 * 28 - 4, 2 * 28 - 4)  # 3 neurons × 2 layers, 24-pixel maps, 4-pixel gaps


def test_hidden_maps_are_the_hidden_activations_on_the_grid():
    play = pg.Playground(KIT, pg.Settings(layers=1, neurons=2, activation="relu"))
    maps = play.hidden_maps(resolution=5)
    assert len(maps) == 1 and maps[0].shape == (2, 5, 5)
    X = play.X_train
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    corner = np.array([[lo[0], hi[1]]])  # top-left of the image: smallest x1, largest x2
    expected = np.maximum(corner @ play.params["W1"] + play.params["b1"], 0)[0]
    np.testing.assert_allclose(maps[0][:, 0, 0], expected)


def test_widget_controls_drive_the_playground_and_report_stubs():
    play = pg.Playground(KIT)
    w = pg.controls(play, "`dropout_forward` (ejercicio 6)")
    w["neurons"].value = 6
    assert play.params["W1"].shape == (2, 6)
    w["step"].click()
    assert play.epoch == 1
    image = w["image"].value
    w["play"].value = True
    assert play.playing and w["clock"].playing and w["play"].description == "Pausar"
    w["clock"].value += 1  # what the browser's clock does on every tick
    assert play.epoch == 1 + pg.EPOCHS_PER_TICK and w["image"].value != image
    w["play"].value = False
    w["clock"].value += 1
    assert play.epoch == 1 + pg.EPOCHS_PER_TICK

    play.kit = KIT.using(dropout_forward=stub)
    w["dropout"].value = 0.2
    w["step"].click()
    assert w["status"].value == pending_message("`dropout_forward` (ejercicio 6)")


def test_widget_checks_the_student_functions_first():
    with pytest.raises(NotImplementedError):
        pg.widget(KIT.using(l2_penalty_grad=stub), "`l2_penalty_grad` (ejercicio 3)")
    assert pg.widget(KIT, "").children
