import pytest


@pytest.fixture
def torch():
    """PyTorch, the parity oracle; tests that take it skip when it is not installed."""
    return pytest.importorskip("torch")


@pytest.fixture(params=["cpu", "cuda"])
def device(request):
    """Runs a test on each device ember has; 'cuda' skips cleanly without CuPy and a GPU."""
    import ember

    if request.param == "cuda" and not ember.cuda.is_available():
        pytest.skip("no CUDA device (CuPy with a GPU) available")
    return request.param
