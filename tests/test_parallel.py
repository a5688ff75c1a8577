"""The ordered parallel map: same results as map(), in order, with bounded read-ahead."""

from __future__ import annotations

from generator.parallel import ordered_map


def square(value: int) -> int:
    return value * value


def test_results_come_back_in_input_order_on_workers():
    assert list(ordered_map(square, range(500), workers=2, chunksize=7)) == [v * v for v in range(500)]


def test_read_ahead_is_bounded():
    consumed = []

    def source():
        for value in range(10_000):
            consumed.append(value)
            yield value

    results = ordered_map(square, source(), workers=2, chunksize=4)
    first = [next(results) for _ in range(10)]
    assert first == [v * v for v in range(10)]
    assert len(consumed) <= 10 + 2 * 4 * 16 + 2 * 4  # what was taken, the bound, one chunk in the feeder
    assert list(results)[-1] == 9999 * 9999


def test_one_worker_runs_in_process():
    assert list(ordered_map(square, [1, 2, 3], workers=1)) == [1, 4, 9]
