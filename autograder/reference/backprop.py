"""Reference solutions of notebook 04's computation graph (`graph_forward`, `graph_backward`), for the tests
and benchmarks of `course.backprop`, whose figures and widget take the student's versions as parameters."""


def graph_forward(a: float, b: float) -> dict[str, float]:
    """Values of the inner nodes of F(a, b) = (ab + 1)(ab + 2)."""
    ab = a * b
    return {"ab": ab, "p": ab + 1, "q": ab + 2, "F": (ab + 1) * (ab + 2)}


def graph_backward(a: float, b: float) -> tuple[float, float]:
    """(∂F/∂a, ∂F/∂b) from the expanded form F = (ab)² + 3ab + 2."""
    shared = 2 * a * b + 3
    return shared * b, shared * a
