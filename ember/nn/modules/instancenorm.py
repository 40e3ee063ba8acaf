"""``InstanceNorm1d``, ``InstanceNorm2d`` and ``InstanceNorm3d``."""

import warnings

from ember.nn import functional as F
from ember.nn.modules.batchnorm import _dim_checker, _NormBase

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


class _InstanceNorm(_NormBase):
    _unbatched_dim = None  # the input rank without a batch dimension

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype, bias=bias)

    def _apply_instance_norm(self, input):
        return F.instance_norm(input, self.running_mean, self.running_var, self.weight,
                               self.bias, self.training or not self.track_running_stats,
                               self.momentum if self.momentum is not None else 0.0, self.eps)

    def forward(self, input):
        self._check_input_dim(input)
        feature_dim = input.dim() - self._unbatched_dim
        if input.size(feature_dim) != self.num_features:
            if self.affine:
                raise ValueError(f"expected input's size at dim={feature_dim} to match "
                                 f"num_features ({self.num_features}), but got: "
                                 f"{input.size(feature_dim)}.")
            warnings.warn(f"input's size at dim={feature_dim} does not match num_features. "
                          "You can silence this warning by not passing in num_features, which "
                          "is not used because affine=False", stacklevel=2)
        if input.dim() == self._unbatched_dim:
            return self._apply_instance_norm(input.unsqueeze(0)).squeeze(0)
        return self._apply_instance_norm(input)


class InstanceNorm1d(_InstanceNorm):
    r"""Applies Instance Normalization over a 2D (unbatched) or 3D input: each channel of each
    sample is normalized by its own mean and (biased) variance.

    Args:
        num_features: number of features or channels :math:`C` of the input
        eps: a value added to the denominator for numerical stability. Default: 1e-5
        momentum: the weight of the new value in the running statistics. Default: 0.1
        affine: if ``True``, learnable per-channel :math:`\gamma` and :math:`\beta`.
            Default: ``False``
        track_running_stats: if ``True``, keeps running statistics and uses them in eval
            mode. Default: ``False``

    Shape:
        - Input: :math:`(N, C, L)` or :math:`(C, L)`; Output: same shape as the input.

    Examples::
        >>> output = nn.InstanceNorm1d(100)(ember.randn(20, 100, 40))
    """

    _unbatched_dim = 2
    _check_input_dim = _dim_checker(2, 3)


class InstanceNorm2d(_InstanceNorm):
    r"""Applies Instance Normalization over a 3D (unbatched) or 4D input; see
    :class:`InstanceNorm1d`.

    Examples::
        >>> output = nn.InstanceNorm2d(100)(ember.randn(20, 100, 35, 45))
    """

    _unbatched_dim = 3
    _check_input_dim = _dim_checker(3, 4)


class InstanceNorm3d(_InstanceNorm):
    r"""Applies Instance Normalization over a 4D (unbatched) or 5D input; see
    :class:`InstanceNorm1d`.

    Examples::
        >>> output = nn.InstanceNorm3d(100)(ember.randn(20, 100, 35, 45, 10))
    """

    _unbatched_dim = 4
    _check_input_dim = _dim_checker(4, 5)
