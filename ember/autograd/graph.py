"""The backward graph: :class:`Node` (a tensor's ``grad_fn``), leaf accumulators and the engine
that runs a backward pass."""

import weakref

import numpy as np

from ember.autograd import anomaly_mode
from ember.autograd.grad_mode import state

__all__ = ["Node", "AccumulateGrad", "run_backward"]

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward.")


class Node:
    """A node of the backward graph, i.e. a tensor's ``grad_fn``.

    ``_edges`` holds, per forward argument, ``(node, output_nr)`` of the argument's own
    ``grad_fn`` (or leaf accumulator), or ``None`` when no gradient flows to it.
    """

    _edges = ()
    _input_meta = ()
    _num_outputs = 1
    _output_meta = None
    _saved = None
    _freed = False
    _hooks = None
    _pre_hooks = None
    _tensor_pre_hooks = None  # {output_nr: [hook(grad)]}, from Tensor.register_hook
    _retained = None  # {output_nr: weakref to a tensor that called retain_grad()}
    _anomaly_trace = None

    def name(self):
        return type(self).__name__

    @property
    def next_functions(self):
        return tuple(edge if edge is not None else (None, 0) for edge in self._edges)

    @property
    def metadata(self):
        if "_metadata" not in self.__dict__:
            self._metadata = {}
        return self._metadata

    def register_hook(self, hook):
        """Registers ``hook(grad_inputs, grad_outputs)``, called after this node's backward; it
        may return replacement ``grad_inputs``."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _RemovableHandle(self._hooks, hook)

    def register_prehook(self, hook):
        """Registers ``hook(grad_outputs)``, called before this node's backward; it may return
        replacement ``grad_outputs``."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(hook)
        return _RemovableHandle(self._pre_hooks, hook)

    def _add_tensor_hook(self, output_nr, hook):
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        hooks = self._tensor_pre_hooks.setdefault(output_nr, [])
        hooks.append(hook)
        return _RemovableHandle(hooks, hook)

    def _release(self):
        if self._saved is not None:
            self._saved = None
            self._freed = True

    def __call__(self, *grad_outputs):
        return self._apply_backward(grad_outputs)

    def __repr__(self):
        return f"<{self.name()} object at {hex(id(self))}>"


class _RemovableHandle:
    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class AccumulateGrad(Node):
    """The node that accumulates gradients into a leaf tensor's ``.grad``."""

    sparse_rows = None  # rows of a row-sparse gradient on its way (see F.embedding's sparse)

    def __init__(self, variable):
        self.variable = variable
        self._input_meta = ()

    @staticmethod
    def for_tensor(tensor):
        """The tensor's accumulator; the tensor holds it weakly, the graph strongly."""
        ref = tensor._grad_accumulator
        accumulator = ref() if ref is not None else None
        if accumulator is None:
            accumulator = AccumulateGrad(tensor)
            tensor._grad_accumulator = weakref.ref(accumulator)
        return accumulator


def _fix_gradient(grad, shape, dtype):
    """Sums a recorded (tensor) gradient back to ``shape`` and casts it to ``dtype``."""
    if grad.shape != shape:
        grad = grad.sum_to_size(shape) if grad.dim() >= len(shape) else grad.expand(shape)
    if grad._data.dtype != dtype:
        grad = grad.to(_dtype_of(dtype))
    return grad


def _sum_to(array, shape):
    if array.ndim < len(shape):
        from ember.backends import namespace

        xp = np if isinstance(array, np.generic) else namespace(array)
        return xp.broadcast_to(array, shape)
    lead = array.ndim - len(shape)
    if lead:
        array = array.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, size in enumerate(shape) if size == 1 and array.shape[i] != 1)
    if axes:
        array = array.sum(axis=axes, keepdims=True)
    return array


def _dtype_of(numpy_dtype):
    from ember._dtype import from_numpy_dtype

    return from_numpy_dtype(numpy_dtype)


def _topological_order(roots):
    """Nodes reachable from ``roots``, each before every node it sends gradients to."""
    order, seen = [], set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root._edges))]
        while stack:
            node, edges = stack[-1]
            for edge in edges:
                if edge is not None and edge[0] not in seen:
                    seen.add(edge[0])
                    stack.append((edge[0], iter(edge[0]._edges)))
                    break
            else:
                stack.pop()
                order.append(node)
    order.reverse()
    return order


def _nodes_leading_to(order, targets):
    needed = set()
    for node in reversed(order):
        if node in targets or any(e is not None and e[0] in needed for e in node._edges):
            needed.add(node)
    return needed


def _zeros_for(meta, like):
    shape, dtype = meta
    if state.create_graph:
        return like.new_zeros(shape, dtype=_dtype_of(dtype))
    from ember.backends import namespace

    return namespace(like).zeros(shape, dtype)


class _Accumulator:
    """Writes gradients into leaves' ``.grad``, copying arrays that something else may hold."""

    def __init__(self, root_grads):
        self.handed_out = set()
        for grad in root_grads:
            self.handed_out.update(_identities(grad))

    def __call__(self, variable, grad, sparse_rows=None):
        from ember._tensor import _make

        if state.create_graph:
            variable._grad = grad if variable._grad is None else variable._grad + grad
            return
        if type(grad) is not np.ndarray and not hasattr(grad, "__cuda_array_interface__"):
            grad = np.asarray(grad)
        if variable._grad is None:
            # a gradient may be a view of a fresh array (a transposed matmul result): keep it,
            # unless its memory was handed out already (the root gradient, another leaf's grad)
            identities = _identities(grad)
            if identities is None or not self.handed_out.isdisjoint(identities):
                grad = grad.copy()
                identities = _identities(grad)
            self.handed_out.update(identities)
            variable._grad = _make(grad)
            if sparse_rows is not None:
                variable._grad._sparse_indices = _make(sparse_rows)
            return
        old = variable._grad
        old._data += grad
        old._version_counter[0] += 1
        _merge_sparse_rows(old, sparse_rows)


def _identities(array):
    """The ids of ``array`` and of the array owning its memory; None when the owner is not an
    array (memory from elsewhere, which must be copied before it becomes a ``.grad``)."""
    base = getattr(array, "base", None)
    if base is None:
        return (id(array),)
    if not isinstance(base, type(array)):
        return None
    return id(array), id(base)


def _merge_sparse_rows(grad, sparse_rows):
    """A gradient stays row-sparse only while every contribution is."""
    rows = grad.__dict__.pop("_sparse_indices", None)
    if rows is not None and sparse_rows is not None:
        from ember._tensor import _make
        from ember.backends import namespace

        xp = namespace(sparse_rows)
        grad._sparse_indices = _make(xp.unique(xp.concatenate((rows._data, sparse_rows))))


def run_backward(roots, root_grads, retain_graph=False, create_graph=False, inputs=None,
                 accumulate=True):
    """Runs the backward pass from ``roots`` (``(node, output_nr)`` pairs) seeded with
    ``root_grads`` (arrays, or tensors when ``create_graph``).

    With ``inputs`` (a list of ``(node, output_nr)``), returns the gradient reaching each,
    or ``None``; leaves' ``.grad`` is only written when ``accumulate`` is True.
    """
    buffers = {}
    for (node, output_nr), grad in zip(roots, root_grads):
        buffer = buffers.setdefault(node, [None] * node._num_outputs)
        buffer[output_nr] = grad if buffer[output_nr] is None else buffer[output_nr] + grad
    order = _topological_order([node for node, _ in roots])
    targets = {node for node, _ in inputs} if inputs is not None else None
    needed = _nodes_leading_to(order, targets) if targets is not None else None
    captured = {}
    accumulate_into = _Accumulator(root_grads) if accumulate else None

    previous = state.enabled, state.create_graph
    state.enabled, state.create_graph = create_graph, create_graph
    try:
        for node in order:
            buffer = buffers.pop(node, None)
            if buffer is None or (needed is not None and node not in needed):
                continue
            if node._tensor_pre_hooks or node._retained or node._pre_hooks:
                buffer = _run_pre_hooks(node, buffer)
            if targets is not None and node in targets:
                for output_nr, grad in enumerate(buffer):
                    captured[node, output_nr] = grad
            if type(node) is AccumulateGrad:
                if accumulate_into is not None:
                    grad = buffer[0]
                    for hook in node.variable._hooks or ():
                        result = hook(_as_tensor(grad))
                        if result is not None:
                            grad = _unwrap(result)
                    accumulate_into(node.variable, grad, node.sparse_rows)
                node.sparse_rows = None
                continue
            _propagate(node, buffer, buffers, retain_graph)
    finally:
        state.enabled, state.create_graph = previous
    if inputs is None:
        return None
    return [captured.get(key) for key in inputs]


def _run_pre_hooks(node, buffer):
    if node._tensor_pre_hooks:
        for output_nr, hooks in node._tensor_pre_hooks.items():
            for hook in hooks:
                if buffer[output_nr] is not None:
                    result = hook(_as_tensor(buffer[output_nr]))
                    if result is not None:
                        buffer[output_nr] = _unwrap(result)
    if node._retained:
        for output_nr, ref in node._retained.items():
            tensor = ref()
            if tensor is not None and buffer[output_nr] is not None:
                grad = buffer[output_nr]
                grad = _as_tensor(grad if state.create_graph else grad.copy())
                tensor._grad = grad if tensor._grad is None else tensor._grad + grad
    if node._pre_hooks:
        for hook in node._pre_hooks:
            result = hook(tuple(_as_tensor(g) for g in buffer))
            if result is not None:
                buffer = [_unwrap(g) for g in result]
    return buffer


def _propagate(node, buffer, buffers, retain_graph):
    if node._num_outputs > 1 and any(g is None for g in buffer):  # `in` would compare arrays
        like = next(g for g in buffer if g is not None)
        buffer = [g if g is not None else _zeros_for(meta, like)
                  for g, meta in zip(buffer, node._output_meta)]
    grads = node._apply_backward(buffer)
    if not isinstance(grads, tuple):
        grads = (grads,)
    if not retain_graph:
        node._release()
    if node._hooks:
        grads = _run_post_hooks(node, grads, buffer)
    if anomaly_mode.state.enabled:
        anomaly_mode.check_gradients(node, grads)
    create_graph = state.create_graph
    for edge, grad, meta in zip(node._edges, grads, node._input_meta):
        if edge is None or grad is None:
            continue
        shape, dtype = meta
        if create_graph:
            grad = _fix_gradient(grad, shape, dtype)
        else:  # the common case, inlined: a plain backward of arrays
            if grad.shape != shape:
                grad = _sum_to(grad, shape)
            if grad.dtype != dtype:
                grad = grad.astype(dtype)
        child, output_nr = edge
        child_buffer = buffers.get(child)
        if child_buffer is None:
            child_buffer = buffers[child] = [None] * child._num_outputs
        previous = child_buffer[output_nr]
        child_buffer[output_nr] = grad if previous is None else previous + grad


def _run_post_hooks(node, grads, buffer):
    for hook in node._hooks:
        result = hook(tuple(_as_tensor(g) for g in grads), tuple(_as_tensor(g) for g in buffer))
        if result is not None:
            grads = tuple(_unwrap(g) for g in result)
    return grads


def _as_tensor(grad):
    from ember._tensor import Tensor, _make

    if grad is None or isinstance(grad, Tensor):
        return grad
    return _make(np.asarray(grad) if isinstance(grad, np.generic) else grad)


def _unwrap(grad):
    from ember._tensor import Tensor

    if state.create_graph or not isinstance(grad, Tensor):
        return grad
    return grad._data
