"""Hidden tests run in the test's own process, as the catalogue tests use them (autograder.judging.verdicts)."""

import pytest

from autograder.judging.verdicts import judge_here

__all__ = ["rejection"]


def rejection(assignment: str, function: str, func, seed: int = 0) -> str:
    """Return the message with which the hidden test of `function` rejects `func`: a verdict in the exercise's terms
    that names the function (never a report that the results were incomplete)."""
    with pytest.raises(AssertionError) as failure:
        judge_here(assignment, f"test_{function}", func, seed=seed)
    message = str(failure.value)
    assert message.startswith(f"{function}: "), message
    assert "hidden tests' results were incomplete" not in message, message
    return message
