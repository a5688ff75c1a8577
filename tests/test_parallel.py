"""The ordered parallel map: same results as map(), in order, with bounded read-ahead."""

from __future__ import annotations

import os

import pytest

from generator.parallel import Done, ordered_map, run_in_child, run_in_children


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


def test_done_items_come_back_in_place_without_a_worker():
    """Long runs of Done items between worker items (a rebuild where one cable in thousands
    changed) neither reorder results nor stall on a batch waiting for items beyond the bound."""
    items = [Done(-v) if v % 997 else v for v in range(5_000)]
    expected = [v * v if v % 997 == 0 else -v for v in range(5_000)]
    assert list(ordered_map(square, items, workers=2, chunksize=16)) == expected
    assert list(ordered_map(square, items, workers=1)) == expected


def test_an_error_reading_the_input_is_raised():
    def source():
        yield 1
        yield Done(5)
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        list(ordered_map(square, source(), workers=2))


def _fails(message: str) -> None:
    raise ValueError(message)


def test_a_stage_run_in_a_child_hands_back_its_result_and_its_error():
    seen_by_child = []
    assert run_in_child(lambda a, b: {"sum": a + b, "pid": os.getpid()}, 2, 3)["sum"] == 5
    assert run_in_child(lambda: os.getpid()) != os.getpid()  # it ran elsewhere...
    run_in_child(seen_by_child.append, 1)
    assert seen_by_child == []  # ...and changed nothing here
    with pytest.raises(ValueError, match="MkDocs said no"):
        run_in_child(_fails, "MkDocs said no")


def test_stages_run_in_children_side_by_side_hand_back_results_in_order_and_the_first_error():
    import time

    started = time.perf_counter()
    results = run_in_children([(time.sleep, (0.5,)), (lambda a: (a, os.getpid()), (7,)), (time.sleep, (0.5,))])
    assert time.perf_counter() - started < 1.4  # not one after the other
    assert results[0] is None and results[1][0] == 7 and results[1][1] != os.getpid()
    with pytest.raises(ValueError, match="first"):
        run_in_children([(_fails, ("first",)), (time.sleep, (0.2,)), (_fails, ("second",))])


def _pid(value: int) -> tuple[int, int]:
    return value, os.getpid()


def test_the_first_items_needing_work_run_here_and_workers_start_only_for_more():
    few = [Done((v, 0)) if v % 1000 else v for v in range(3_000)]  # three items need work
    results = list(ordered_map(_pid, few, workers=2, in_process_first=5))
    assert [r[0] for r in results] == list(range(3_000))
    assert {pid for value, pid in results if value % 1000 == 0} == {os.getpid()}  # no worker was started
    many = [Done((v, 0)) if v % 3 else v for v in range(600)]  # 200 need work: the pool takes over
    results = list(ordered_map(_pid, many, workers=2, chunksize=4, in_process_first=5))
    assert [r[0] for r in results] == list(range(600))
    worked = [pid for value, pid in results if value % 3 == 0]
    assert worked[:5] == [os.getpid()] * 5 and os.getpid() not in worked[5:]


def _collector_state(_item: int) -> tuple[int, int]:
    import gc

    return gc.get_freeze_count(), gc.get_threshold()[0]


def test_a_worker_freezes_what_it_inherited_and_collects_young_objects_less_often():
    """A forked worker moves the build's objects out of the collector's sight and raises its
    young-object threshold (parallel.tune_collector); the build process keeps its own."""
    import gc

    from generator.parallel import _YOUNG_THRESHOLD, young_collections_less_often

    before = gc.get_threshold()
    results = list(ordered_map(_collector_state, range(4), workers=2, chunksize=1))
    assert all(frozen > 0 and threshold == _YOUNG_THRESHOLD for frozen, threshold in results)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    with young_collections_less_often():
        assert gc.get_threshold()[0] == _YOUNG_THRESHOLD
    assert gc.get_threshold() == before


_HELD: list[bytes] = []  # what the parent process holds when the pool starts (a stand-in for the catalog)
_GIVEN: list[int] = []  # what a worker was given by its initializer


def _remember(value: int) -> None:
    _GIVEN[:] = [value]


def _what_a_worker_holds(_item: int) -> tuple[int, int, int]:
    return len(_HELD), _GIVEN[0] if _GIVEN else -1, os.getpid()


def test_fresh_workers_hold_none_of_the_parents_memory_and_get_their_state_sent():
    """Pass 2's workers (``fresh_workers``) are not forked from the build process: what it holds
    is not theirs to count again; their initializer's arguments reach them pickled."""
    _HELD[:] = [b"x" * 1000] * 10
    try:
        fresh = set(ordered_map(_what_a_worker_holds, range(64), workers=2, chunksize=4, initializer=_remember,
                                initargs=(7,), fresh_workers=True))
        forked = set(ordered_map(_what_a_worker_holds, range(64), workers=2, chunksize=4, initializer=_remember,
                                 initargs=(7,)))
    finally:
        _HELD.clear()
    assert {(held, given) for held, given, _pid in fresh} == {(0, 7)}
    assert {(held, given) for held, given, _pid in forked} == {(10, 7)}
    assert os.getpid() not in {pid for _held, _given, pid in fresh | forked}
