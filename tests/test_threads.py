"""Thread, determinism and compile settings."""

import pytest

import ember


def test_set_num_threads_limits_blas():
    pytest.importorskip("threadpoolctl")
    before = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        assert ember.get_num_threads() == 1
    finally:
        ember.set_num_threads(before)
    assert ember.get_num_threads() == before


@pytest.mark.parametrize("value", [0, -1, 1.5, True])
def test_set_num_threads_rejects_non_positive_integers(value, torch):
    for lib in (ember, torch):
        with pytest.raises(RuntimeError, match="set_num_threads expects"):
            lib.set_num_threads(value)


def test_settings_round_trip():
    ember.use_deterministic_algorithms(True)
    assert ember.are_deterministic_algorithms_enabled()
    ember.use_deterministic_algorithms(False)
    assert not ember.are_deterministic_algorithms_enabled()
    ember.set_float32_matmul_precision("high")
    assert ember.get_float32_matmul_precision() == "high"
    with pytest.warns(UserWarning, match="is not one of"):
        ember.set_float32_matmul_precision("fastest")
    assert ember.get_float32_matmul_precision() == "high"
    ember.set_float32_matmul_precision("highest")
    ember.set_num_interop_threads(3)
    assert ember.get_num_interop_threads() == 3


def test_compile_returns_the_model_and_works_as_a_decorator():
    model = ember.nn.Linear(2, 2)
    assert ember.compile(model) is model

    @ember.compile()
    def double(x):
        return x * 2

    assert double(ember.ones(2)).tolist() == [2.0, 2.0]
