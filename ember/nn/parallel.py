"""``nn.DataParallel`` on one device: runs the wrapped module, exposes ``.module``."""

from ember.nn.modules.module import Module

__all__ = ["DataParallel"]


class DataParallel(Module):
    """Wraps ``module``; its state_dict keys gain the ``module.`` prefix, like PyTorch's.

    ember runs the module on its own device: scattering a batch over several GPUs comes with
    the multi-GPU backend.
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids = list(device_ids) if device_ids is not None else []
        self.output_device = output_device
        self.dim = dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)
