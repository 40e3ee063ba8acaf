"""Support for ``Module.register_full_backward_hook``: identity Functions wrapped around the
module's inputs and outputs capture ``grad_output`` and ``grad_input``."""

from ember._tensor import Tensor
from ember.autograd.function import Function

__all__ = ["BackwardHooks"]


class _Capture(Function):
    @staticmethod
    def forward(ctx, hooks, kind, *tensors):
        ctx.hooks, ctx.kind = hooks, kind
        return tuple(t.detach() for t in tensors)

    @staticmethod
    def backward(ctx, *grads):
        if ctx.kind == "output":
            ctx.hooks.grad_output = grads
            return (None, None) + grads
        grads = ctx.hooks.run(grads)
        return (None, None) + tuple(grads)


class BackwardHooks:
    """One forward call's backward hooks: ``grad_output`` is recorded when the output's gradient
    arrives; the hooks run when the input gradients are computed."""

    def __init__(self, module):
        self.module = module
        self.grad_output = None
        self.inputs_wrapped = False

    def setup_inputs(self, args):
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not positions:
            return args
        self.inputs_wrapped = True
        wrapped = _Capture.apply(self, "input", *(args[i] for i in positions))
        args = list(args)
        for position, tensor in zip(positions, wrapped):
            args[position] = tensor
        return tuple(args)

    def setup_outputs(self, output):
        single = isinstance(output, Tensor)
        outputs = (output,) if single else output
        if not isinstance(outputs, tuple) or not any(
                isinstance(o, Tensor) and o.requires_grad for o in outputs):
            return output
        positions = [i for i, o in enumerate(outputs) if isinstance(o, Tensor) and
                     o.requires_grad]
        wrapped = _Capture.apply(self, "output", *(outputs[i] for i in positions))
        if not self.inputs_wrapped:
            wrapped = tuple(w.register_hook(self._hook_without_inputs) and w for w in wrapped)
        outputs = list(outputs)
        for position, tensor in zip(positions, wrapped):
            outputs[position] = tensor
        return outputs[0] if single else tuple(outputs)

    def _hook_without_inputs(self, grad):
        self.grad_output = (grad,)
        self.run((None,))

    def run(self, grad_input):
        for hook in list(self.module._backward_hooks.values()):
            result = hook(self.module, tuple(grad_input), self.grad_output)
            if result is not None:
                grad_input = result if isinstance(result, tuple) else (result,)
        return grad_input
