"""``detect_anomaly``: remember where each graph node was made, and fail on NaN gradients."""

import traceback
import warnings

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled"]


class _AnomalyState:
    enabled = False
    check_nan = True


state = _AnomalyState()


def is_anomaly_enabled():
    return state.enabled


class detect_anomaly:
    """Context manager that records the forward stack of each op and, in backward, raises
    a RuntimeError naming the op whose backward returned NaN, printing where it was called."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        self.prev = None

    def __enter__(self):
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)
        self.prev = (state.enabled, state.check_nan)
        state.enabled, state.check_nan = True, self.check_nan

    def __exit__(self, *exc):
        state.enabled, state.check_nan = self.prev


class set_detect_anomaly:
    """Turns anomaly detection on or off, as a call or as a context manager."""

    def __init__(self, mode, check_nan=True):
        self.prev = (state.enabled, state.check_nan)
        state.enabled, state.check_nan = bool(mode), check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        state.enabled, state.check_nan = self.prev


def record_trace(node):
    node._anomaly_trace = "".join(traceback.format_stack()[:-3])


def check_gradients(node, grads):
    from ember.backends import namespace

    if not state.check_nan:
        return
    for index, grad in enumerate(grads):
        if grad is None:
            continue
        array = getattr(grad, "_data", grad)
        if namespace(array).isnan(array).any():
            if node._anomaly_trace:
                warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that "
                              f"caused the error:\n{node._anomaly_trace}", stacklevel=2)
            raise RuntimeError(
                f"Function '{node.name()}' returned nan values in its {index}th output.")
