"""``SummaryWriter.add_graph``: one forward pass of an ember model as a TensorBoard ``GraphDef``.

Forward hooks on every submodule assign each autograd node to the innermost module whose
``forward`` created it; the autograd graph from the outputs gives the ops, their edges and (from
each consumer's recorded input metadata) their output shapes. Names are scoped like PyTorch's:
``LeNet/Conv2d[conv1]/Convolution``, ``LeNet/Conv2d[conv1]/weight``, ``input/x``,
``output/output.1``.
"""

import inspect
import re

import ember
from ember._tensor import Tensor
from ember.autograd.function import _edge
from ember.autograd.graph import AccumulateGrad

__all__ = ["graph"]

_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")
_IO_OP = "IO Node"  # the op PyTorch's add_graph gives input and output nodes


def graph(model, args):
    """The ``GraphDef`` of ``model(*args)``, run once in eval mode with gradients recorded."""
    inputs = [arg.detach().requires_grad_(arg.is_floating_point()) if isinstance(arg, Tensor)
              else arg for arg in args]
    recorder = _ScopeRecorder(model)
    training = {module: module.training for module in recorder.scopes}
    model.eval()
    try:
        with recorder, ember.enable_grad():
            outputs = _tensors(model(*inputs))
    finally:
        for module, mode in training.items():
            module.training = mode
    return _GraphBuilder(model, recorder).build(_input_names(model, inputs), outputs)


class _ScopeRecorder:
    """Forward hooks recording, for each autograd node, the scope of the innermost module whose
    ``forward`` created it (the walk from a module's outputs stops at its inputs' nodes)."""

    def __init__(self, model):
        self.scopes = _module_scopes(model)
        self.scope_of = {}
        self._boundaries = []
        self._handles = []

    def __enter__(self):
        for module in self.scopes:
            self._handles.append(module.register_forward_pre_hook(self._enter_module))
            self._handles.append(module.register_forward_hook(self._exit_module))
        return self

    def __exit__(self, *exc):
        for handle in self._handles:
            handle.remove()

    def _enter_module(self, module, args):
        self._boundaries.append({edge[0] for edge in _edges(_tensors(args))})

    def _exit_module(self, module, args, output):
        boundary = self._boundaries.pop()
        roots = [node for node, _ in _edges(_tensors(output))]
        for node in _reachable(roots, boundary):
            if not isinstance(node, AccumulateGrad):
                self.scope_of.setdefault(node, self.scopes[module])


class _GraphBuilder:
    def __init__(self, model, recorder):
        self.root = recorder.scopes[model]
        self.scope_of = recorder.scope_of
        self.params = {param: _param_scope(self.root, recorder.scopes, model, name)
                       for name, param in model.named_parameters()}
        self.names = {}
        self.taken = set()

    def build(self, input_names, outputs):
        from tensorboardX.proto.graph_pb2 import GraphDef
        from tensorboardX.proto.versions_pb2 import VersionDef

        edges = _all_edges(outputs)
        nodes = _reachable([edge[0] for edge in edges if edge is not None], ())
        shapes = _output_shapes(nodes, outputs, edges)
        defs = [self._node_def(node, input_names, shapes) for node in nodes]
        for index, (tensor, edge) in enumerate(zip(outputs, edges), 1):
            sources = [] if edge is None else [self._input_name(edge)]
            defs.append(_node_def(f"output/output.{index}", _IO_OP, sources, [tensor.shape]))
        return GraphDef(node=defs, versions=VersionDef(producer=22))

    def _node_def(self, node, input_names, shapes):
        if isinstance(node, AccumulateGrad):
            name, op = self._leaf_name(node.variable, input_names)
        else:
            op = _BACKWARD_SUFFIX.sub("", node.name())
            name = f"{self.scope_of.get(node, self.root)}/{op}"
        self.names[node] = name = self._unique(name)
        sources = [self._input_name(edge) for edge in node.next_functions if edge[0] is not None]
        outputs = [shapes.get((node, index)) for index in range(node._num_outputs)]
        return _node_def(name, op, sources, outputs)

    def _leaf_name(self, tensor, input_names):
        if tensor in self.params:
            return self.params[tensor], "Parameter"
        if tensor in input_names:
            return f"input/{input_names[tensor]}", _IO_OP
        return f"{self.root}/tensor", "Tensor"

    def _input_name(self, edge):
        node, output_nr = edge
        return self.names[node] if output_nr == 0 else f"{self.names[node]}:{output_nr}"

    def _unique(self, name):
        candidate, count = name, 0
        while candidate in self.taken:
            count += 1
            candidate = f"{name}_{count}"
        self.taken.add(candidate)
        return candidate


def _node_def(name, op, inputs, shapes):
    from tensorboardX.proto.attr_value_pb2 import AttrValue
    from tensorboardX.proto.node_def_pb2 import NodeDef
    from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto

    attr = {}
    if shapes and all(shape is not None for shape in shapes):
        protos = [TensorShapeProto(dim=[TensorShapeProto.Dim(size=size) for size in shape])
                  for shape in shapes]
        attr["_output_shapes"] = AttrValue(list=AttrValue.ListValue(shape=protos))
    return NodeDef(name=name, op=op, input=inputs, attr=attr)


def _module_scopes(model):
    """``{module: 'LeNet/Conv2d[conv1]'}`` for the model and every submodule."""
    scopes = {}
    for name, module in model.named_modules():
        if not name:
            scopes[module] = type(module).__name__
            continue
        parent, _, attr = name.rpartition(".")
        scopes[module] = f"{scopes[model.get_submodule(parent)]}/{type(module).__name__}[{attr}]"
    return scopes


def _param_scope(root, scopes, model, name):
    owner, _, attr = name.rpartition(".")
    return f"{scopes[model.get_submodule(owner)] if owner else root}/{attr}"


def _input_names(model, inputs):
    """``{input tensor: name}``, named after ``forward``'s positional parameters."""
    params = [p.name for p in inspect.signature(model.forward).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return {tensor: params[index] if index < len(params) else f"input.{index}"
            for index, tensor in enumerate(inputs) if isinstance(tensor, Tensor)}


def _output_shapes(nodes, outputs, edges):
    """``{(node, output_nr): shape}``: a node records its outputs' shapes only when it has
    several; otherwise they come from the shapes each consumer recorded for its inputs."""
    shapes = {edge: tensor.shape for tensor, edge in zip(outputs, edges) if edge is not None}
    for node in nodes:
        if isinstance(node, AccumulateGrad):
            shapes[(node, 0)] = node.variable.shape
            continue
        for index, meta in enumerate(node._output_meta or ()):
            shapes[(node, index)] = meta[0]
        for edge, meta in zip(node.next_functions, node._input_meta):
            if edge[0] is not None and meta is not None:
                shapes[edge] = meta[0]
    return shapes


def _reachable(roots, stop):
    """The nodes reachable from ``roots`` without entering ``stop``, each after the nodes that
    feed it (topological order)."""
    order, seen = [], set(stop)

    def visit(node):
        seen.add(node)
        stack = [(node, iter(node.next_functions))]
        while stack:
            current, edges = stack[-1]
            for child, _ in edges:
                if child is not None and child not in seen:
                    seen.add(child)
                    stack.append((child, iter(child.next_functions)))
                    break
            else:
                stack.pop()
                order.append(current)

    for root in roots:
        if root not in seen:
            visit(root)
    return order


def _tensors(value):
    """The tensors in ``value``, searching tuples, lists and dicts."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [tensor for item in value for tensor in _tensors(item)]
    if isinstance(value, dict):
        return _tensors(list(value.values()))
    return []


def _all_edges(tensors):
    """``(grad_fn or accumulator, output_nr)`` per tensor, or None for one without history."""
    return [_edge(tensor) if tensor.requires_grad else None for tensor in tensors]


def _edges(tensors):
    return [edge for edge in _all_edges(tensors) if edge is not None]
