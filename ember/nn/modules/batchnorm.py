"""``BatchNorm1d``, ``BatchNorm2d``, ``BatchNorm3d`` and ``SyncBatchNorm``."""

import ember
from ember.nn import functional as F
from ember.nn import init
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm"]


def _register_affine(module, shape, affine, bias, device, dtype):
    """Registers ``weight`` and ``bias`` of ``shape`` (``None`` where disabled)."""
    module.register_parameter(
        "weight", Parameter(ember.empty(shape, device=device, dtype=dtype)) if affine else None)
    module.register_parameter(
        "bias", Parameter(ember.empty(shape, device=device, dtype=dtype))
        if affine and bias else None)


def _reset_affine(module):
    """The identity transform: weight ones, bias zeros."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class _NormBase(Module):
    """Parameters, running-statistics buffers and ``repr`` shared by batch and instance norm."""

    _version = 2

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        factory = {"device": device, "dtype": dtype}
        _register_affine(self, (num_features,), affine, bias, device, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", ember.zeros(num_features, **factory))
            self.register_buffer("running_var", ember.ones(num_features, **factory))
            self.register_buffer("num_batches_tracked",
                                 ember.tensor(0, dtype=ember.long, device=device))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input_dim(self, input):
        raise NotImplementedError

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        # batch statistics in training, and in eval when no running statistics are kept
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        # the running statistics are passed only to be used or to be updated
        keep = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if keep else None,
                            self.running_var if keep else None, self.weight, self.bias,
                            use_batch, factor, self.eps)


def _dim_checker(*dims):
    expected = " or ".join(f"{d}D" for d in dims)

    def check(self, input):
        if input.dim() not in dims:
            raise ValueError(f"expected {expected} input (got {input.dim()}D input)")

    return check


class BatchNorm1d(_BatchNorm):
    r"""Applies Batch Normalization over a 2D or 3D input:
    :math:`y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \epsilon}} * \gamma + \beta`.

    Statistics are per channel over the mini-batch (biased variance); in training the running
    estimates are updated with ``momentum`` (``None``: cumulative average) and the unbiased
    variance, and in eval they normalize the input.

    Args:
        num_features: number of features or channels :math:`C` of the input
        eps: a value added to the denominator for numerical stability. Default: 1e-5
        momentum: the weight of the new value in the running statistics; ``None`` for a
            cumulative moving average. Default: 0.1
        affine: if ``True``, learnable :math:`\gamma` and :math:`\beta`. Default: ``True``
        track_running_stats: if ``True``, keeps running statistics; otherwise batch
            statistics are used in eval mode too. Default: ``True``

    Shape:
        - Input: :math:`(N, C)` or :math:`(N, C, L)`; Output: same shape as the input.

    Examples::
        >>> output = nn.BatchNorm1d(100)(ember.randn(20, 100))
    """

    _check_input_dim = _dim_checker(2, 3)


class BatchNorm2d(_BatchNorm):
    r"""Applies Batch Normalization over a 4D input :math:`(N, C, H, W)`; see
    :class:`BatchNorm1d`.

    Examples::
        >>> output = nn.BatchNorm2d(100)(ember.randn(20, 100, 35, 45))
    """

    _check_input_dim = _dim_checker(4)


class BatchNorm3d(_BatchNorm):
    r"""Applies Batch Normalization over a 5D input :math:`(N, C, D, H, W)`; see
    :class:`BatchNorm1d`.

    Examples::
        >>> output = nn.BatchNorm3d(100)(ember.randn(20, 100, 35, 45, 10))
    """

    _check_input_dim = _dim_checker(5)


class SyncBatchNorm(_BatchNorm):
    r"""Batch Normalization over an input of at least 2 dimensions with statistics shared by
    all processes; with one process it is :class:`BatchNorm1d`/``2d``/``3d``.

    Examples::
        >>> output = nn.SyncBatchNorm(100)(ember.randn(20, 100, 35, 45))
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, process_group=None, device=None, dtype=None, *,
                 bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype, bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")

    def forward(self, input):
        if input.dim() >= 2 and input.size(1) == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")
        return super().forward(input)

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """Returns ``module`` with every batch norm layer replaced by a :class:`SyncBatchNorm`
        sharing its parameters and buffers."""
        output = module
        if isinstance(module, _BatchNorm):
            output = SyncBatchNorm(module.num_features, module.eps, module.momentum,
                                   module.affine, module.track_running_stats, process_group,
                                   bias=module.bias is not None)
            if module.affine:
                output.weight, output.bias = module.weight, module.bias
            output.running_mean = module.running_mean
            output.running_var = module.running_var
            output.num_batches_tracked = module.num_batches_tracked
            output.training = module.training
        for name, child in module.named_children():
            output.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return output
