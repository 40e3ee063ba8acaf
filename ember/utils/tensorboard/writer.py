"""``SummaryWriter``: PyTorch's TensorBoard writer for ember tensors and models.

The event files (TFRecord framing, CRCs, protobufs) are written by ``tensorboardX``; this module
converts ember tensors to NumPy where they enter it, validates image layouts, and draws ember
models for ``add_graph``.
"""

import importlib
import importlib.util
import itertools
import os
import sys
import time

import numpy as np

from ember._tensor import Tensor
from ember.utils.tensorboard._convert import make_np

__all__ = ["SummaryWriter"]

_IMAGE_FORMATS = ("HW", "CHW", "NCHW")
_writer_ids = itertools.count()


def _import_tensorboardx():
    """Imports the real tensorboardX. It imports torch (when installed) to learn its tensor
    type, which ember must not pull in; and under ``ember run`` the names ``tensorboardX`` and
    ``torch`` are aliases of ember's own modules, set aside while the real package loads."""
    aliases = {name: module for name, module in sys.modules.items()
               if name.split(".")[0] in ("torch", "tensorboardX")
               and getattr(module, "__name__", "").startswith("ember")}
    finders = [f for f in sys.meta_path if type(f).__module__ == "ember.cli.run"]
    for name in aliases:
        del sys.modules[name]
    for finder in finders:
        sys.meta_path.remove(finder)
    block_torch = "torch" not in sys.modules
    if block_torch:
        sys.modules["torch"] = None  # a None entry makes ``import torch`` raise ImportError
    try:
        return importlib.import_module("tensorboardX")
    except ImportError as err:
        raise ModuleNotFoundError("ember.utils.tensorboard needs the tensorboardX package: "
                                  "pip install 'ember[tensorboard]'") from err
    finally:
        if block_torch:
            del sys.modules["torch"]
        sys.meta_path[:0] = finders
        sys.modules.update(aliases)


class SummaryWriter:
    r"""Writes entries directly to event files in :attr:`log_dir` for TensorBoard to read.

    Every ``add_*`` method accepts ember tensors (on any device), NumPy arrays and Python
    numbers. After :meth:`close`, the next ``add_*`` call reopens the writer on a new event file
    in the same directory.

    Args:
        log_dir: save directory. Default: ``runs/CURRENT_DATETIME_HOSTNAME`` + :attr:`comment`
        comment: suffix of the default :attr:`log_dir`; ignored if :attr:`log_dir` is given
        purge_step: events with ``global_step >= purge_step`` already in :attr:`log_dir`
            (from a crashed run that resumes at ``purge_step``) are hidden from TensorBoard
        max_queue: pending events and summaries before an ``add_*`` call forces a flush
        flush_secs: how often, in seconds, pending events are flushed to disk
        filename_suffix: suffix added to every event file name
        logdir: ``tensorboardX``'s name for :attr:`log_dir`

    Examples::
        >>> with SummaryWriter("runs/exp1") as writer:
        ...     writer.add_scalar("loss", loss, global_step=epoch)
    """

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=120,
                 filename_suffix="", *, logdir=None):
        log_dir = log_dir or logdir
        if not log_dir:
            import socket
            from datetime import datetime

            current_time = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", current_time + "_" + socket.gethostname() + comment)
        self.log_dir = str(log_dir)
        self.purge_step = purge_step
        self.max_queue = max_queue
        self.flush_secs = flush_secs
        self.filename_suffix = filename_suffix
        self._writer = None
        self._get_writer()

    def _get_writer(self):
        """The tensorboardX writer, (re)created on a new event file after :meth:`close`."""
        if self._writer is not None:
            return self._writer
        tensorboardX = _import_tensorboardx()
        # PyTorch's file names (time, host, pid, counter): tensorboardX's alone (time, host)
        # collide when a writer reopens within a second, and the new file overwrites the old.
        suffix = f".{os.getpid()}.{next(_writer_ids)}{self.filename_suffix}"
        try:
            self._writer = tensorboardX.SummaryWriter(
                self.log_dir, purge_step=self.purge_step, max_queue=self.max_queue,
                flush_secs=self.flush_secs, filename_suffix=suffix)
        except OSError as err:
            raise type(err)(err.errno, f"SummaryWriter cannot write to log_dir "
                            f"({err.strerror})", self.log_dir) from err
        self.purge_step = None  # purge once, like PyTorch: a reopened writer keeps its events
        return self._writer

    def get_logdir(self):
        """Returns the directory where event files are written."""
        return self.log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None):
        """Adds scalar data (NaN and Inf are logged as such).

        Args:
            tag: data identifier
            scalar_value: value to save (a number or a one-element tensor)
            global_step: global step value to record
            walltime: event time in seconds after the epoch; default ``time.time()``
        """
        self._get_writer().add_scalar(tag, make_np(scalar_value), global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Adds many scalars to one chart: each ``tag_scalar_dict`` entry is a run
        ``log_dir/main_tag/tag`` whose values are logged under ``main_tag``."""
        values = {tag: make_np(value) for tag, value in tag_scalar_dict.items()}
        self._get_writer().add_scalars(main_tag, values, global_step, walltime)

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None,
                      max_bins=None):
        """Adds a histogram of ``values``; ``bins`` is ``'tensorflow'`` (TensorBoard's
        exponential buckets) or anything ``numpy.histogram`` takes."""
        self._get_writer().add_histogram(tag, make_np(values), global_step, bins, walltime,
                                         max_bins)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """Adds an image: ``uint8`` values in [0, 255] or floats in [0, 1], laid out as
        ``dataformats`` (``CHW``, ``HWC``, ``HW``, ...; ``NCHW`` makes a grid), with 1, 3 or 4
        channels."""
        image = make_np(img_tensor)
        _check_dataformats(image, dataformats, _IMAGE_FORMATS)
        self._get_writer().add_image(tag, image, global_step, walltime, dataformats)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """Adds a batch of images as one grid image; ``img_tensor`` is a batch laid out as
        ``dataformats`` or a list of images each laid out as ``dataformats`` without ``N``."""
        if isinstance(img_tensor, (list, tuple)):
            images = np.stack([make_np(image) for image in img_tensor])
            dataformats = dataformats if "N" in dataformats.upper() else "N" + dataformats
        else:
            images = make_np(img_tensor)
        _check_dataformats(images, dataformats, _IMAGE_FORMATS)
        self._get_writer().add_images(tag, images, global_step, walltime, dataformats)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """Renders a matplotlib figure (or a list of them, as a grid) into an image."""
        self._get_writer().add_figure(tag, figure, global_step, close, walltime)

    def add_video(self, tag, vid_tensor, global_step=None, fps=4, walltime=None,
                  dataformats="NTCHW"):
        """Adds video data (an animated GIF; needs ``moviepy``): ``uint8`` values in [0, 255] or
        floats in [0, 1], shape :math:`(N, T, C, H, W)` or as ``dataformats``."""
        if importlib.util.find_spec("moviepy") is None:
            raise ModuleNotFoundError("add_video needs package moviepy: pip install moviepy")
        video = make_np(vid_tensor)
        _check_dataformats(video, dataformats, ("NTCHW",))
        self._get_writer().add_video(tag, video, global_step, fps, walltime, dataformats)

    def add_audio(self, tag, snd_tensor, global_step=None, sample_rate=44100, walltime=None):
        """Adds mono audio, shape :math:`(1, L)` or :math:`(L,)`, values in [-1, 1]."""
        summary = _audio_summary(tag, make_np(snd_tensor), sample_rate)
        self._get_writer().file_writer.add_summary(summary, global_step, walltime)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """Adds text (rendered as Markdown by TensorBoard)."""
        self._get_writer().add_text(tag, text_string, global_step, walltime)

    def add_graph(self, model, input_to_model=None, verbose=False):
        """Draws ``model``'s graph: one forward pass on ``input_to_model`` (a tensor or a tuple
        of them), with ops scoped by module, parameters, inputs, outputs and their shapes."""
        from tensorboardX.proto.event_pb2 import Event

        from ember.utils.tensorboard._graph import graph

        args = input_to_model if isinstance(input_to_model, (tuple, list)) else (input_to_model,)
        graph_def = graph(model, args)
        if verbose:
            print(graph_def)
        event = Event(graph_def=graph_def.SerializeToString())
        self._get_writer().file_writer.add_event(event)

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None, tag="default",
                      metadata_header=None):
        """Adds embedding projector data: ``mat`` is :math:`(N, D)`, ``metadata`` N labels (or
        rows under ``metadata_header``), ``label_img`` :math:`(N, C, H, W)` square thumbnails."""
        if isinstance(metadata, Tensor):
            metadata = metadata.tolist()
        self._get_writer().add_embedding(make_np(mat), metadata, make_np(label_img),
                                         global_step, tag, metadata_header)

    def add_pr_curve(self, tag, labels, predictions, global_step=None, num_thresholds=127,
                     weights=None, walltime=None):
        """Adds a precision-recall curve of binary ``labels`` against ``predictions`` (the
        probabilities of being true, in [0, 1])."""
        self._get_writer().add_pr_curve(tag, make_np(labels), make_np(predictions), global_step,
                                        num_thresholds, make_np(weights), walltime)

    def add_mesh(self, tag, vertices, colors=None, faces=None, config_dict=None,
                 global_step=None, walltime=None):
        """Adds meshes or point clouds: ``vertices`` :math:`(B, N, 3)`, ``colors`` :math:`(B, N,
        3)` in [0, 255], ``faces`` :math:`(B, F, 3)` vertex indices."""
        self._get_writer().add_mesh(tag, make_np(vertices), make_np(colors), make_np(faces),
                                    config_dict, global_step, walltime)

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None,
                    global_step=None):
        """Adds a set of hyperparameters and their metrics, compared in TensorBoard's HPARAMS
        tab, as the run ``log_dir/run_name`` (default: the current time).

        Args:
            hparam_dict: hyperparameter names and values (bool, str, number or tensor)
            metric_dict: metric names and values, also logged as scalars in the run
            hparam_domain_discrete: for some hyperparameters, the list of values they can take
            run_name: name of the run; default ``str(time.time())``
            global_step: global step value to record
        """
        tensorboardX = _import_tensorboardx()
        if not isinstance(hparam_dict, dict) or not isinstance(metric_dict, dict):
            raise TypeError("hparam_dict and metric_dict should be dictionary.")
        hparams = {key: _hparam_value(value) for key, value in hparam_dict.items()}
        domains = _check_domains(hparam_domain_discrete or {}, hparams)
        experiment, start, end = tensorboardX.summary.hparams(hparams, metric_dict)
        _add_discrete_domains(experiment, domains)
        run_dir = os.path.join(self.log_dir, run_name or str(time.time()))
        with SummaryWriter(run_dir) as run:
            for summary in (experiment, start, end):
                run._get_writer().file_writer.add_summary(summary, global_step)
            for key, value in metric_dict.items():
                run.add_scalar(key, value, global_step)

    def flush(self):
        """Writes all pending events to disk; later events go to a new event file in
        :attr:`log_dir` (tensorboardX's own flush may leave events in its queue)."""
        self.close()

    def close(self):
        """Writes pending events and closes the event files; a later ``add_*`` call reopens the
        writer on a new event file."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()


def _check_dataformats(array, dataformats, formats):
    """Checks that ``dataformats`` names each axis of ``array`` once, with the letters of one of
    ``formats``, and that its channel axis has 1, 3 or 4 entries."""
    layout = dataformats.upper()
    if sorted(layout) not in [sorted(f) for f in formats]:
        raise ValueError(f"dataformats should be {' or '.join(formats)} or a permutation of "
                         f"them, but got '{dataformats}'")
    if array.ndim != len(layout):
        raise ValueError(f"size of input tensor and input format are different. tensor shape: "
                         f"{tuple(array.shape)}, input_format: {dataformats}")
    channels = array.shape[layout.index("C")] if "C" in layout else 1
    if channels not in (1, 3, 4):
        raise ValueError(f"images should have 1, 3 or 4 channels, but got {channels} channels "
                         f"(tensor shape: {tuple(array.shape)}, input_format: {dataformats})")


def _audio_summary(tag, array, sample_rate):
    """PyTorch's audio summary: mono 16-bit WAV (tensorboardX's needs ``soundfile``)."""
    import io
    import wave

    from tensorboardX.proto.summary_pb2 import Summary

    array = array.squeeze()
    if array.ndim != 1:
        raise ValueError(f"audio should be one channel of shape (1, L) or (L,), but got shape "
                         f"{tuple(array.shape)}")
    if abs(array).max(initial=0) > 1:
        print("warning: audio amplitude out of range, auto clipped.")
        array = array.clip(-1, 1)
    samples = (array * np.iinfo(np.int16).max).astype("<i2")
    with io.BytesIO() as buffer:
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            wav.writeframes(samples.tobytes())
        encoded = buffer.getvalue()
    audio = Summary.Audio(sample_rate=sample_rate, num_channels=1, length_frames=len(samples),
                          encoded_audio_string=encoded, content_type="audio/wav")
    return Summary(value=[Summary.Value(tag=tag, audio=audio)])


def _hparam_value(value):
    if isinstance(value, Tensor):
        return make_np(value).item()
    if value is not None and not isinstance(value, (bool, str, int, float)):
        raise ValueError("value should be one of int, float, str, bool, or ember.Tensor")
    return value


def _check_domains(domains, hparams):
    if not isinstance(domains, dict):
        raise TypeError("parameter: hparam_domain_discrete should be a dictionary, nothing "
                        "logged.")
    for key, values in domains.items():
        if (key not in hparams or not isinstance(values, list)
                or not all(isinstance(v, type(hparams[key])) for v in values)):
            raise TypeError(f"parameter: hparam_domain_discrete[{key}] should be a list of same "
                            f"type as hparam_dict[{key}].")
    return domains


def _add_discrete_domains(experiment, domains):
    """Writes ``domains`` into the experiment summary (tensorboardX's ``hparams`` has no
    discrete domains)."""
    if not domains:
        return
    from tensorboardX.proto.plugin_hparams_pb2 import HParamsPluginData

    plugin_data = experiment.value[0].metadata.plugin_data
    content = HParamsPluginData.FromString(plugin_data.content)
    for info in content.experiment.hparam_infos:
        if info.name in domains:
            info.domain_discrete.extend(domains[info.name])
    plugin_data.content = content.SerializeToString()
