"""``Op``, ember's differentiable primitive, and ``Function``, PyTorch's custom-function API.

An ``Op`` subclass writes ``forward(ctx, xp, *args)`` on arrays of namespace ``xp`` and
``backward(ctx, *grad_outputs)`` with one formula that works on arrays (plain backward, no
recording) and on tensors (``create_graph=True``, recorded). ``ctx`` is the graph node itself,
an instance of the generated class ``<Op>Backward0``, so ``grad_fn`` prints PyTorch's name.
"""

import numpy as np

from ember.autograd import anomaly_mode
from ember.autograd.grad_mode import no_grad, state
from ember.autograd.graph import _FREED_MESSAGE, AccumulateGrad, Node
from ember.backends import _NAMESPACE_BY_ARRAY_TYPE

__all__ = ["Op", "Function", "FunctionCtx", "once_differentiable", "graph_namespace"]

_Tensor = _make = None  # ember._tensor imports this module; bound by _bind_tensor() below


def _bind_tensor(tensor_class, make):
    global _Tensor, _make
    _Tensor, _make = tensor_class, make


class _AllFalse:
    def __getitem__(self, index):
        return False

    def __iter__(self):
        return iter(())


class _NoRecording:
    """The ``ctx`` of an op run without recording: saves nothing, needs no gradient."""

    needs_input_grad = _AllFalse()

    def save_for_backward(self, *arrays):
        pass

    def __setattr__(self, name, value):
        pass


_NO_RECORDING = _NoRecording()


def _edge(tensor):
    base = tensor._base
    if base is not None and base._grad_fn is not tensor._base_grad_fn:
        tensor._refresh_view_history()
    if tensor._grad_fn is not None:
        return tensor._grad_fn, tensor._output_nr
    return AccumulateGrad.for_tensor(tensor), 0


class Op(Node):
    """Base class of ember's differentiable primitives (see the module docstring).

    Class attributes: ``node_name`` overrides the ``grad_fn`` class name (default
    ``<Op>Backward0``); ``is_view`` marks ops whose output shares the input's memory (replayable
    by ``Op.apply(base_view, *args)``); ``differentiable`` False marks ops (comparisons,
    argmax) whose outputs never require grad.
    """

    is_view = False
    differentiable = True
    _saved_sources = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_op" not in cls.__dict__:
            cls._op = cls
            name = cls.__dict__.get("node_name", cls.__name__ + "Backward0")
            cls._node_cls = type(name, (cls,), {"_op": cls})

    @staticmethod
    def forward(ctx, xp, *args):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError

    def save_for_backward(self, *arrays):
        self._saved = arrays

    @property
    def saved_tensors(self):
        """The saved arrays; tensors wired into the graph while ``create_graph`` is on."""
        saved = self._saved
        if saved is None:
            if self._freed:
                raise RuntimeError(_FREED_MESSAGE)
            return ()
        for source in self._saved_sources:
            if source is not None and source[1][0] != source[2]:
                _raise_modified(self, source)
        if not state.create_graph:
            return saved
        return tuple(self._saved_tensor(i) for i in range(len(saved)))

    @property
    def xp(self):
        """The namespace backward formulas call: the array namespace, or ember itself (with
        NumPy's argument names) while ``create_graph`` records a graph."""
        return graph_namespace if state.create_graph else self._xp

    def _saved_tensor(self, index):
        from ember._tensor import _make

        array = self._saved[index]
        if array is None:
            return None
        source = self._saved_sources[index] if self._saved_sources else None
        if source is None:  # a Python or NumPy scalar (ops save numbers, 0-d math gives them)
            return _make(_as_array(array, self._xp))
        if source[0] >= 0:
            return _make(array, True, self, source[0])
        return source[3]

    def _apply_backward(self, grad_outputs):
        return self.backward(self, *grad_outputs)

    @classmethod
    def call(cls, *args):
        """Runs this op from inside a backward formula: recorded under ``create_graph``, plain
        array math (no graph, no checks) otherwise."""
        if state.create_graph:
            return cls.apply(*args)
        for arg in args:
            xp = _NAMESPACE_BY_ARRAY_TYPE.get(type(arg))
            if xp is not None:
                return cls.forward(_NO_RECORDING, xp, *args)
        if any(isinstance(arg, np.generic) for arg in args):  # NumPy's 0-d math gives scalars
            return cls.call(*(np.asarray(a) if isinstance(a, np.generic) else a for a in args))
        raise TypeError(f"{cls.__name__}.call needs an array argument")

    @classmethod
    def apply(cls, *args):
        """Runs the op on tensors ``args``, recording a graph node when a gradient is needed."""
        first = None
        arrays, needs = [], []
        record = False
        for arg in args:
            if isinstance(arg, _Tensor):
                if first is None:
                    first = arg
                arrays.append(arg._data)
                if arg._requires_grad:
                    record = True
                    needs.append(True)
                    continue
            else:
                arrays.append(arg)
            needs.append(False)
        xp = _NAMESPACE_BY_ARRAY_TYPE[type(first._data)]
        if not (record and state.enabled and cls.differentiable):
            out = cls.forward(_NO_RECORDING, xp, *arrays)
            if type(out) is tuple:
                outputs = tuple(_make(_as_array(o, xp)) for o in out)
                return tuple(_wrap_view(cls, o, first, args) for o in outputs) if cls.is_view \
                    else outputs
            result = _make(out if type(out) in _NAMESPACE_BY_ARRAY_TYPE else xp.asarray(out))
            return _wrap_view(cls, result, first, args) if cls.is_view else result
        node = cls._node_cls()
        node.needs_input_grad = needs = tuple(needs)
        node._xp = xp
        out = cls.forward(node, xp, *arrays)
        if node._saved and type(out) not in _NAMESPACE_BY_ARRAY_TYPE:
            out = _scalar_outputs_as_arrays(node, out, xp)
        node._edges = tuple(_edge(arg) if need else None for arg, need in zip(args, needs))
        node._input_meta = tuple((arg._data.shape, arg._data.dtype) if need else None
                                 for arg, need in zip(args, needs))
        if anomaly_mode.state.enabled:
            anomaly_mode.record_trace(node)
        if type(out) is tuple:
            node._num_outputs = len(out)
            outputs = tuple(_output(node, o, i, xp) for i, o in enumerate(out))
            node._output_meta = tuple((o._data.shape, o._data.dtype) for o in outputs)
            if cls.is_view:
                outputs = tuple(_wrap_view(cls, o, first, args) for o in outputs)
        else:
            outputs = _output(node, out, 0, xp)
            if cls.is_view:
                outputs = _wrap_view(cls, outputs, first, args)
        if node._saved:
            node._saved_sources = _saved_sources(node._saved, args, outputs)
        return outputs


def _as_array(out, xp):
    if type(out) in _NAMESPACE_BY_ARRAY_TYPE:
        return out
    return xp.asarray(out)


def _scalar_outputs_as_arrays(node, out, xp):
    """NumPy returns 0-d results as scalars: makes them arrays in the node's saved values too, so
    a saved output stays linked to the output (its gradient flows under ``create_graph``)."""
    outs = out if type(out) is tuple else (out,)
    arrays = tuple(_as_array(o, xp) for o in outs)
    replaced = {id(o): a for o, a in zip(outs, arrays) if a is not o}
    node._saved = tuple(replaced.get(id(s), s) for s in node._saved)
    return arrays if type(out) is tuple else arrays[0]


def _output(node, array, index, xp):
    if type(array) not in _NAMESPACE_BY_ARRAY_TYPE:
        array = xp.asarray(array)
    if array.dtype.kind in "fc":
        return _make(array, True, node, index)
    return _make(array)


def _wrap_view(cls, view, base, args):
    """Makes ``view`` share its base's storage bookkeeping, and remembers how to replay it."""
    root = view._base = base._base if base._base is not None else base
    view._base_grad_fn = root._grad_fn
    view._version_counter = base._version_counter
    view._view_replay = (base._view_replay, cls, args[1:])
    return view


def _saved_sources(saved, args, outputs):
    """For each saved array: ``(output_index, version_counter, version, input_tensor)``."""
    outputs = outputs if type(outputs) is tuple else (outputs,)
    sources = []
    for array in saved:
        source = None
        if array is not None:
            for index, output in enumerate(outputs):
                if output._data is array:
                    counter = output._version_counter
                    source = (index, counter, counter[0], None)
                    break
            else:
                for arg in args:
                    if isinstance(arg, _Tensor) and arg._data is array:
                        counter = arg._version_counter
                        source = (-1, counter, counter[0], arg)
                        break
        sources.append(source)
    return tuple(sources)


def _raise_modified(node, source):
    from ember._tensor import _type_name

    index, counter, version, tensor = source
    array = node._saved[node._saved_sources.index(source)]
    description = f"[{_type_name(array)} [{', '.join(map(str, array.shape))}]]"
    where = f", which is output {index} of {node.name()}," if index >= 0 else ""
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {description}{where} is at version {counter[0]}; expected version "
        f"{version} instead. Hint: the backtrace further above can show the operation that "
        "failed to compute its gradient. The variable in question was changed in there or "
        "anywhere later. Good luck!")


class _GraphNamespace:
    """NumPy-named functions over ember ops, so ``ctx.xp.cos(x)`` records under create_graph."""

    def __getattr__(self, name):
        from ember._ops import graph_functions

        return getattr(graph_functions, name)


graph_namespace = _GraphNamespace()


class FunctionCtx:
    """Methods available on ``ctx`` inside a custom :class:`Function`."""

    _saved_outputs = ()  # {saved position: output index}, saved outputs kept as bare arrays

    def save_for_backward(self, *tensors):
        self._saved = tensors

    @property
    def saved_tensors(self):
        if self._saved is None:
            if self._freed:
                raise RuntimeError(_FREED_MESSAGE)
            return ()
        if not self._saved_outputs:
            return self._saved
        saved = list(self._saved)
        for position, index in self._saved_outputs.items():
            saved[position] = _make(saved[position], state.create_graph, self, index)
        return tuple(saved)

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = {id(t) for t in tensors}

    def set_materialize_grads(self, value):
        self._materialize_grads = value


class _FunctionMeta(type):
    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        if "_is_backward_cls" not in namespace:
            cls._backward_cls = type(name + "Backward", (_FunctionNode,),
                                     {"_forward_cls": cls, "_is_backward_cls": True})


class _FunctionNode(FunctionCtx, Node):
    _materialize_grads = True
    _non_differentiable = ()

    def _apply_backward(self, grad_outputs):
        from ember._tensor import _make

        grads = tuple(_make(g) if g is not None and not state.create_graph else g
                      for g in grad_outputs)
        result = self._forward_cls.backward(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self._edges)
        if len(result) < expected or any(r is not None for r in result[expected:]):
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients "
                               f"(expected {expected}, got {len(result)})")
        if state.create_graph:
            return result[:expected]
        return tuple(r._data if r is not None else None for r in result[:expected])


class Function(metaclass=_FunctionMeta):
    r"""Base class for custom differentiable operations.

    Subclasses define ``forward(ctx, *args)`` on tensors and ``backward(ctx, *grad_outputs)``
    returning one gradient per argument of ``forward`` (``None`` for non-tensors), and are
    used through ``apply``::

        >>> class Exp(Function):
        ...     @staticmethod
        ...     def forward(ctx, i):
        ...         result = i.exp()
        ...         ctx.save_for_backward(result)
        ...         return result
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         result, = ctx.saved_tensors
        ...         return grad_output * result
        >>> output = Exp.apply(input)
    """

    _is_backward_cls = True

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args):
        from ember._tensor import Tensor, _make

        node = cls._backward_cls()
        node.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        with no_grad():
            outputs = cls.forward(node, *args)
        record = state.enabled and any(node.needs_input_grad)
        single = not isinstance(outputs, tuple)
        outputs = (outputs,) if single else outputs
        if record:
            node._edges = tuple(_edge(a) if need else None
                                for a, need in zip(args, node.needs_input_grad))
            node._input_meta = tuple((a._data.shape, a._data.dtype) if need else None
                                     for a, need in zip(args, node.needs_input_grad))
            node._num_outputs = len(outputs)
            wrapped = []
            for index, output in enumerate(outputs):
                if isinstance(output, Tensor):
                    differentiable = (id(output) not in node._non_differentiable
                                      and output._data.dtype.kind in "fc")
                    output = (_make(output._data, True, node, index) if differentiable
                              else output)
                wrapped.append(output)
            node._output_meta = tuple((o._data.shape, o._data.dtype) if isinstance(o, Tensor)
                                      else ((), np.dtype(np.float32)) for o in wrapped)
            _link_saved_outputs(node, outputs)
            outputs = tuple(wrapped)
        return outputs[0] if single else outputs


def _link_saved_outputs(node, outputs):
    """Saved forward outputs become the graph's outputs (rebuilt on access, so the node does
    not hold a tensor whose ``grad_fn`` is the node itself)."""
    if not node._saved:
        return
    links = {}
    saved = list(node._saved)
    for position, tensor in enumerate(saved):
        for index, output in enumerate(outputs):
            if tensor is output:
                links[position] = index
                saved[position] = output._data
    if links:
        node._saved, node._saved_outputs = tuple(saved), links


def once_differentiable(backward):
    """Marks a custom backward as not itself differentiable (accepted; ember runs it as is)."""
    return backward
