"""``Optimizer``: the base class holding parameter groups, per-parameter state and the
state_dict layout PyTorch uses (so optimizers save and resume exactly)."""

import copy
from collections import defaultdict

import ember
from ember._tensor import Tensor, _make
from ember.autograd.grad_mode import no_grad
from ember.backends import namespace

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    r"""Base class for optimizers.

    Args:
        params: an iterable of tensors, or of dicts defining parameter groups (each dict holds
            ``params`` and may override any default, e.g. a per-layer ``lr``)
        defaults: the default hyper-parameters of every group
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {ember.typename(params)}")
        param_groups = list(params)
        if not param_groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Adds a group of parameters (a dict with ``params`` and optional overrides)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        params = list(params)
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + ember.typename(param))
            if not param.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        group = dict(param_group, params=params)
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            group.setdefault(name, default)
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if existing & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Resets the gradients of all optimized parameters (to ``None`` by default)."""
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                else:
                    param.grad.detach_()
                    param.grad.zero_()
                    if hasattr(param.grad, "_sparse_indices"):
                        # a zeroed row-sparse gradient touches no rows, as PyTorch's sparse zero_
                        param.grad._sparse_indices = param.grad._sparse_indices[:0]

    def step(self, closure=None):
        raise NotImplementedError

    def _evaluate(self, closure):
        if closure is None:
            return None
        with ember.enable_grad():
            return closure()

    def _parameters_with_grad(self, group):
        for param in group["params"]:
            if param.grad is not None:
                yield param

    def _step_each(self, closure, update):
        """Evaluates ``closure``, then runs ``update(param, grad, state, group)`` on the arrays of
        every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for param in self._parameters_with_grad(group):
                update(param._data, param.grad._data, self.state[param], group)
                param._version_counter[0] += 1
        return loss

    # ----------------------------------------------------------------- state_dict
    def state_dict(self):
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``,
        parameters numbered in group order, as PyTorch does."""
        index_of, groups = {}, []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = []
            for param in group["params"]:
                index = index_of.setdefault(id(param), len(index_of))
                packed["params"].append(index)
            groups.append(packed)
        state = {index_of[id(p)]: s for p, s in self._state_items() if id(p) in index_of}
        return {"state": state, "param_groups": groups}

    def _state_items(self):
        for group in self.param_groups:
            for param in group["params"]:
                if param in self.state:
                    yield param, self.state[param]

    def load_state_dict(self, state_dict):
        """Restores hyper-parameters and per-parameter state saved by :meth:`state_dict`."""
        state_dict = copy.deepcopy(state_dict)
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 "match the size of optimizer's group")
        self.state = defaultdict(dict)
        for group, saved in zip(self.param_groups, saved_groups):
            for param, index in zip(group["params"], saved["params"]):
                if index in state_dict["state"]:
                    self.state[param] = {
                        key: _cast_state(key, value, param)
                        for key, value in state_dict["state"][index].items()}
            group.update({k: v for k, v in saved.items() if k != "params"})

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __repr__(self):
        text = type(self).__name__ + " ("
        for index, group in enumerate(self.param_groups):
            text += "\n" if index == 0 else "\n\n"
            text += f"Parameter Group {index}"
            for key in sorted(group):
                if key != "params":
                    text += f"\n    {key}: {group[key]}"
        return text + "\n)"


def _cast_state(key, value, param):
    """State tensors follow their parameter's dtype and device, except the step count."""
    if not isinstance(value, Tensor):
        return value
    if key == "step":
        return value.to(device=param.device)
    if value.is_floating_point():
        return value.to(device=param.device, dtype=param.dtype)
    return value.to(device=param.device)


def _grad_with_weight_decay(param, grad, group):
    """The arrays' gradient negated when ``maximize``, plus the L2 term ``weight_decay * param``
    (PyTorch's order)."""
    if group["maximize"]:
        grad = -grad
    if group["weight_decay"]:
        grad = grad + group["weight_decay"] * param
    return grad


def _zeros_like(array):
    """A state tensor of zeros shaped like the parameter's array."""
    return _make(namespace(array).zeros_like(array))


def _lerp_(array, end, weight):
    """``array += weight * (end - array)`` in place, in PyTorch's form (exact at weight 1)."""
    difference = end - array
    if abs(weight) < 0.5:
        difference *= weight
        array += difference
    else:
        difference *= 1 - weight
        namespace(array).subtract(end, difference, out=array)


def _step_tensor(state):
    """Increments the state's ``step`` (a float32 0-d tensor, as PyTorch stores it)."""
    if "step" not in state:
        state["step"] = ember.tensor(0.0)
    with no_grad():
        state["step"].add_(1)
    return state["step"].item()
