"""The scaling table of `make bench` (benchmarks/grading_throughput.py) holds each row to issue 20's targets. (The
table's own run grades every assignment three ways, which is `make bench`'s to do.)"""

from benchmarks.grading_throughput import Throughput, print_table


def row(assignment: str, stock: float, one: float, pool: float) -> Throughput:
    """Return a made-up row of 24 copies graded by two workers."""
    return Throughput(assignment, 24, stock, one, pool, 2, 900.0)


def test_a_row_within_every_target_is_not_marked(capsys):
    assert not print_table([row("w2a1_resnets", stock=24 * 25.0, one=24 * 9.0, pool=24 * 9.0 / 1.9)])
    printed = capsys.readouterr().out
    assert "| w2a1_resnets | 24 |" in printed and "9.00 (budget 10)" in printed and "OVER" not in printed


def test_each_missed_target_is_named():
    slow = row("w1a1_conv_numpy", stock=24 * 10.0, one=24 * 6.0, pool=24 * 6.0 / 1.5)
    assert slow.over == ["over 5 s per submission", "under 2.5x stock", "pool under 1.85x one worker"]
    assert print_table([slow])
