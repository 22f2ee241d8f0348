"""The wire between a student's kernel and the grader (cnnbook.grading.wire) carries sets, for a quiz's set of letters:
in one order whatever the set's, back as a frozenset, and a malformed set is refused, never a crash of the grader."""

import json

import pytest

from autograder.judging.verdicts import read_result
from cnnbook.grading.wire import decode, encode


def test_a_set_crosses_as_a_frozenset_in_one_encoding():
    first, second = {"C", "A", "B"}, {"B", "A", "C"}
    assert json.dumps(encode(first)) == json.dumps(encode(second))
    assert decode(encode(first)) == frozenset("ABC") and isinstance(decode(encode(first)), frozenset)
    assert decode(encode(frozenset({1, 2.5, ("a", 1)}))) == frozenset({1, 2.5, ("a", 1)})


@pytest.mark.parametrize(
    "payload",
    [{"__set__": [[{"__int__": "1"}]]}, {"__set__": [{"__dict__": {}}]}, {"__set__": [{"__unsupported__": "object"}]}],
)
def test_a_malformed_set_is_refused(payload):
    with pytest.raises(ValueError, match="cannot be in a set"):
        decode(payload)


def test_a_malformed_set_in_a_probe_result_is_an_error_result():
    result = read_result({"value": {"__set__": [[1, 2]]}, "args_after": {"__tuple__": []}})
    assert result.error and "unreadable result" in result.error
