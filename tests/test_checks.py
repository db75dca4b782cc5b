"""course.checks: robust comparisons with Spanish messages."""

import numpy as np
import pytest

from course import checks


class AlwaysEqual:
    def __eq__(self, other):
        return True


def test_close_accepts_lists_ints_and_numpy_scalars():
    checks.check_close([1, 2], np.array([1.0, 2.0]))
    checks.check_close(np.float32(0.5), 0.5)
    assert checks.check_scalar(np.array([3.0])) == 3.0


@pytest.mark.parametrize("value, fragment", [
    (None, "None"),
    ([1.0, 2.0, 3.0], "forma (2,)"),
    ([1.0, np.nan], "NaN"),
    ([1.0, 2.5], "se esperaba 2"),
    ("1, 2", "numérico"),
    (AlwaysEqual(), "no se puede convertir"),
])
def test_close_fails_in_spanish_with_expected_and_got(value, fragment):
    with pytest.raises(checks.CheckError) as info:
        checks.check_close(value, [1.0, 2.0], "f(x)")
    assert fragment in str(info.value)


def test_fake_eq_object_never_passes_any_check():
    for check in (lambda v: checks.check_close(v, 1.0), lambda v: checks.check_equal(v, [0, 1]),
                  lambda v: checks.check_int(v, 3), lambda v: checks.check_scalar(v)):
        with pytest.raises(checks.CheckError):
            check(AlwaysEqual())


def test_tolerances_are_respected():
    checks.check_close(1.0 + 1e-9, 1.0)
    with pytest.raises(checks.CheckError):
        checks.check_close(1.001, 1.0, rtol=1e-6)
    checks.check_close(1.001, 1.0, rtol=1e-2)


def test_int_rejects_floats_and_bools():
    assert checks.check_int(np.int64(44), 44) == 44
    for bad in (44.0, True):
        with pytest.raises(checks.CheckError, match="entero"):
            checks.check_int(bad, 44)


def test_unchanged_detects_mutation():
    x = np.zeros(3)
    before = checks.snapshot(x)
    checks.check_unchanged(before, (x,))
    x[0] = 1
    with pytest.raises(checks.CheckError, match="modificó"):
        checks.check_unchanged(before, (x,))


def test_call_quietly_turns_overflow_into_a_spanish_failure():
    with pytest.raises(checks.CheckError, match="aviso numérico"):
        checks.call_quietly(lambda z: 1 / (1 + np.exp(-z)), np.array([-1000.0]))
    assert checks.call_quietly(np.tanh, 0.0) == 0.0


def test_check_true_and_structures():
    checks.check_true(np.bool_(True), "x")
    with pytest.raises(checks.CheckError, match="mensaje"):
        checks.check_true(1, "mensaje")
    assert checks.check_tuple([1, 2], 2) == (1, 2)
    with pytest.raises(checks.CheckError, match="claves"):
        checks.check_keys({"W1": 0}, ["W1", "b1"])
    checks.check_dtype_kind(np.array([1, 2]), "iu")
    with pytest.raises(checks.CheckError, match="float64"):
        checks.check_dtype_kind(np.array([1.0]), "iu")


def test_call_quietly_allows_underflow_but_not_overflow():
    assert checks.call_quietly(np.exp, np.array([-1000.0])) == 0.0
    with pytest.raises(checks.CheckError, match="aviso numérico"):
        checks.call_quietly(np.exp, np.array([1000.0]))
    with pytest.raises(checks.CheckError):
        checks.call_quietly(lambda v: v / v, np.zeros(1))
