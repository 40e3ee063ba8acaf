"""cuDNN flags, kept for compatibility with code written for PyTorch.

ember's GPU backend is CuPy; these flags are recorded and CuPy's cuDNN use follows them.
"""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available():
    """Whether cuDNN can be used: only when ember's CUDA backend is available."""
    from ember import cuda

    return cuda.is_available()


def version():
    return None
