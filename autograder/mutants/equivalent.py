"""Survivors of the automatic mutation analysis (`python -m autograder check --auto-mutants`) reviewed as
equivalent to the solution: no input the docstring allows tells them apart. Keyed by assignment, the solution
cell's `grade_id` and the mutation's key as the analysis prints it (`line:column change`, line in the cell).
A survivor not listed here is a test to strengthen; when a solution cell changes, its keys may move."""

_SAME_AT_ZERO = "both branches give the same value at z = 0, the only point where the comparison differs"
_OVERFLOW_GUARD = "np.minimum(z, c) only keeps exp() finite on the branch np.where discards for z > 0"

EQUIVALENT = {
    "02_xor": {
        "sigmoid": {"12:20 `>=` → `>`": _SAME_AT_ZERO + " (both 0.5)"},
    },
    "03_activaciones": {
        "sigmoid": {"11:20 `>=` → `>`": _SAME_AT_ZERO + " (both 0.5)"},
        "leaky_relu": {"9:20 `>` → `>=`": _SAME_AT_ZERO + " (both 0)"},
        "elu": {"9:20 `>` → `>=`": _SAME_AT_ZERO + " (both 0)",
                "9:60 `0.0` → `1.0`": _OVERFLOW_GUARD},
        "elu_grad": {"9:61 `0.0` → `1.0`": _OVERFLOW_GUARD},
    },
    "04_backprop": {
        "graph_backward": {
            "11:13 `*` → `/`": "dF_dp * 1: multiplying or dividing by the local derivative 1 is the same",
            "11:13 `a * b` → `a`": "dF_dp * 1: dropping the factor 1 is the same",
            "11:25 `*` → `/`": "dF_dq * 1: multiplying or dividing by the local derivative 1 is the same",
            "11:25 `a * b` → `a`": "dF_dq * 1: dropping the factor 1 is the same",
        },
        "numerical_gradient": {"10:11 `zeros_like` → `ones_like`": "every entry is overwritten by the loop"},
        "relative_error": {"11:52 `1e-12` → `2e-12`": "only the floor of the denominator when both are ~0"},
    },
    "06_regularizacion": {
        "dropout_forward": {
            "14:31 `0` → `1`": "rate = 0 then takes the general path with a mask of ones and scale 1 (same "
                               "result); rate = 1 is outside the documented range [0, 1)",
            "16:12 `>=` → `>`": "differs only when rng.random() returns exactly `rate` (probability ~2^-53)",
        },
    },
}
