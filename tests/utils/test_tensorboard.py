"""ember.utils.tensorboard.SummaryWriter: every summary is written, then read back with
TensorBoard's own reader (EventAccumulator) and checked against values worked out by hand."""

import importlib.util
import io
import os
import socket
import subprocess
import sys
import wave

import numpy as np
import pytest

import ember
import ember.nn as nn
import ember.nn.functional as F
from tests.nn.seed_models import build

pytest.importorskip("tensorboardX")
event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")

from ember.utils.tensorboard import SummaryWriter  # noqa: E402


def _read(log_dir):
    """Everything TensorBoard reads from ``log_dir`` (no sampling)."""
    guidance = dict.fromkeys(["scalars", "images", "audio", "histograms", "tensors"], 0)
    return event_accumulator.EventAccumulator(str(log_dir), size_guidance=guidance).Reload()


def _scalars(log_dir, tag):
    return [(event.step, event.value) for event in _read(log_dir).Scalars(tag)]


def _png(event):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(event.encoded_image_string)))


@pytest.fixture
def writer(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        yield writer


def LeNet():  # noqa: N802 - reads like the class it builds
    """Seed 002's network, shared with the nn tests."""
    return build(nn, F, "LeNet")


# ------------------------------------------------------------------------------------ import
def test_import_loads_neither_tensorboardx_nor_torch():
    code = ("import sys, tempfile, ember, ember.utils.tensorboard as tb\n"
            "print('tensorboardX' in sys.modules)\n"
            "with tb.SummaryWriter(tempfile.mkdtemp()) as w:\n"
            "    w.add_scalar('x', ember.tensor(1.0))\n"
            "print('tensorboardX' in sys.modules, 'torch' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "True", "False"]


def test_missing_tensorboardx_raises_clear_error(tmp_path):
    code = ("import sys; sys.modules['tensorboardX'] = None\n"
            "from ember.utils.tensorboard import SummaryWriter\n"
            f"SummaryWriter({str(tmp_path)!r})\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "ModuleNotFoundError: ember.utils.tensorboard needs the tensorboardX package" in \
        result.stderr


# ---------------------------------------------------------------------------- writer basics
def test_default_log_dir_is_runs_date_host_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with SummaryWriter(comment="_lr0.1") as writer:
        log_dir = writer.get_logdir()
    parent, name = os.path.split(log_dir)
    assert parent == "runs" and name.endswith("_" + socket.gethostname() + "_lr0.1")
    assert os.listdir(tmp_path / log_dir)[0].startswith("events.out.tfevents.")


def test_log_dir_and_filename_suffix(tmp_path):
    log_dir = tmp_path / "exp1"
    with SummaryWriter(log_dir, filename_suffix=".mine") as writer:
        writer.add_scalar("x", 1.0)
        assert writer.log_dir == writer.get_logdir() == str(log_dir)
    [name] = os.listdir(log_dir)
    assert name.endswith(".mine")
    assert SummaryWriter(logdir=tmp_path / "tbx").get_logdir() == str(tmp_path / "tbx")


def test_flush_writes_pending_events(tmp_path):
    writer = SummaryWriter(tmp_path, max_queue=100, flush_secs=1000)
    writer.add_scalar("loss", 2.5, 7)
    writer.flush()
    assert _scalars(tmp_path, "loss") == [(7, 2.5)]
    writer.add_scalar("loss", 1.5, 8)
    writer.flush()
    assert _scalars(tmp_path, "loss") == [(7, 2.5), (8, 1.5)]
    writer.close()


def test_context_manager_closes(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_scalar("loss", 1.0, 0)
    assert writer._writer is None
    assert _scalars(tmp_path, "loss") == [(0, 1.0)]


def test_writing_after_close_reopens_on_a_new_file(tmp_path):
    writer = SummaryWriter(tmp_path)
    writer.add_scalar("loss", 1.0, 0)
    writer.close()
    writer.close()  # closing twice is fine
    writer.add_scalar("loss", 0.5, 1)
    writer.close()
    assert len(os.listdir(tmp_path)) == 2
    assert _scalars(tmp_path, "loss") == [(0, 1.0), (1, 0.5)]


def test_purge_step_hides_steps_of_the_crashed_run(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        for step in range(5):
            writer.add_scalar("loss", float(step), step)
    with SummaryWriter(tmp_path, purge_step=2) as writer:
        writer.add_scalar("loss", 20.0, 2)
    assert _scalars(tmp_path, "loss") == [(0, 0.0), (1, 1.0), (2, 20.0)]


def test_unwritable_log_dir_raises_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(NotADirectoryError, match="SummaryWriter cannot write to log_dir"):
        SummaryWriter(blocker / "run")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_parent_raises_permission_error(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(PermissionError, match="SummaryWriter cannot write to log_dir"):
            SummaryWriter(tmp_path / "run")
    finally:
        tmp_path.chmod(0o700)


# ----------------------------------------------------------------------------------- scalars
def test_add_scalar_accepts_tensors_arrays_and_numbers(writer, device):
    values = [ember.tensor(0.25, device=device), ember.tensor([1.5], requires_grad=True),
              np.float64(-3.0), np.array(4.0), 5, 6.5]
    for step, value in enumerate(values):
        writer.add_scalar("loss", value, step)
    writer.close()
    assert _scalars(writer.log_dir, "loss") == [(0, 0.25), (1, 1.5), (2, -3.0), (3, 4.0),
                                                 (4, 5.0), (5, 6.5)]


def test_add_scalar_logs_nan_and_inf(writer):
    for step, value in enumerate([float("nan"), ember.tensor(float("inf")), -np.inf]):
        writer.add_scalar("bad", value, step)
    writer.close()
    values = [value for _, value in _scalars(writer.log_dir, "bad")]
    assert np.isnan(values[0]) and values[1:] == [np.inf, -np.inf]


def test_add_scalar_walltime_and_tensor_step(writer):
    writer.add_scalar("x", 1.0, ember.tensor(3), walltime=1234.5)
    writer.close()
    [event] = _read(writer.log_dir).Scalars("x")
    assert (event.wall_time, event.step) == (1234.5, 3)


def test_add_scalars_writes_one_run_per_tag(writer, tmp_path):
    writer.add_scalars("loss", {"train": ember.tensor(1.0), "test": 2.0}, 0)
    writer.add_scalars("loss", {"train": 0.5, "test": np.float32(1.5)}, 1)
    writer.close()
    assert _scalars(tmp_path / "loss" / "train", "loss") == [(0, 1.0), (1, 0.5)]
    assert _scalars(tmp_path / "loss" / "test", "loss") == [(0, 2.0), (1, 1.5)]


# -------------------------------------------------------------------------------- histograms
def test_add_histogram_buckets(writer):
    values = ember.tensor([0.5, 1.5, 1.5, 2.5])
    writer.add_histogram("weights", values, 4, bins=np.array([0.0, 1.0, 2.0, 3.0]))
    writer.close()
    [event] = _read(writer.log_dir).Histograms("weights")
    histogram = event.histogram_value
    assert event.step == 4
    assert (histogram.min, histogram.max, histogram.num) == (0.5, 2.5, 4)
    assert (histogram.sum, histogram.sum_squares) == (6.0, 11.0)
    assert list(histogram.bucket_limit) == [0.0, 1.0, 2.0, 3.0]
    assert list(histogram.bucket) == [0.0, 1.0, 2.0, 1.0]


def test_add_histogram_default_tensorflow_buckets(writer):
    writer.add_histogram("w", nn.Linear(10, 20).weight, 0)  # a Parameter: detached first
    writer.add_histogram("w", np.full(7, 3.0), 1)
    writer.close()
    first, second = _read(writer.log_dir).Histograms("w")
    assert first.histogram_value.num == 200
    histogram = second.histogram_value
    assert (histogram.num, histogram.sum, histogram.min) == (7, 21.0, 3.0)
    [full] = [(limit, count) for limit, count in zip(histogram.bucket_limit, histogram.bucket)
              if count]
    assert full[1] == 7 and 3.0 <= full[0] < 3.0 * 1.1  # TensorBoard's buckets grow by 1.1


# ------------------------------------------------------------------------------------ images
def test_add_image_dataformats(writer):
    chw = ember.zeros(3, 4, 6)
    chw[0] = 1.0  # red
    writer.add_image("chw", chw, 0)
    writer.add_image("hwc", chw.permute(1, 2, 0).numpy(), 0, dataformats="HWC")
    writer.add_image("hw", np.full((5, 2), 0.5, dtype=np.float32), 0, dataformats="HW")
    writer.add_image("uint8", np.full((1, 2, 3), 200, dtype=np.uint8), 0)
    writer.close()
    read = _read(writer.log_dir)
    for tag in ("chw", "hwc"):
        [event] = read.Images(tag)
        assert (event.height, event.width) == (4, 6)
        assert _png(event)[0, 0].tolist() == [255, 0, 0]
    [event] = read.Images("hw")
    assert (event.height, event.width) == (5, 2)
    assert _png(event)[0, 0].tolist() == [127, 127, 127]
    assert _png(read.Images("uint8")[0])[1, 2].tolist() == [200, 200, 200]


def test_add_images_batch_and_list(writer, device):
    batch = ember.rand(4, 1, 8, 8, device=device)
    writer.add_images("batch", batch, 0)
    writer.add_images("nhwc", batch.permute(0, 2, 3, 1), 0, dataformats="NHWC")
    writer.add_images("list", [image for image in batch], 0, dataformats="CHW")
    writer.close()
    read = _read(writer.log_dir)
    expected = (batch.cpu().numpy()[:, 0] * 255).astype(np.uint8)
    for tag in ("batch", "nhwc", "list"):
        [event] = read.Images(tag)
        assert (event.height, event.width) == (8, 32)  # a 1 x 4 grid
        pixels = _png(event)[:, :, 0]
        np.testing.assert_array_equal(pixels[:, 8:16], expected[1])


@pytest.mark.parametrize("shape, dataformats, message", [
    ((3, 4), "CHW", r"tensor shape: \(3, 4\), input_format: CHW"),
    ((4, 5, 3), "HW", r"tensor shape: \(4, 5, 3\), input_format: HW"),
    ((3, 4, 5), "CHC", "dataformats should be HW or CHW or NCHW"),
    ((3, 4, 5), "XYZ", "dataformats should be"),
    ((2, 4, 5), "CHW", "1, 3 or 4 channels, but got 2"),
])
def test_add_image_bad_layout_raises_value_error(writer, shape, dataformats, message):
    with pytest.raises(ValueError, match=message):
        writer.add_image("bad", ember.zeros(*shape), 0, dataformats=dataformats)


def test_add_images_bad_layout_raises_value_error(writer):
    with pytest.raises(ValueError, match="input_format: NCHW"):
        writer.add_images("bad", ember.zeros(3, 8, 8), 0)


def test_add_figure(writer):
    plt = pytest.importorskip("matplotlib.pyplot")
    figure = plt.figure(figsize=(2, 1), dpi=50)
    plt.plot([0, 1], [1, 0])
    writer.add_figure("figure", figure, 2)
    writer.close()
    [event] = _read(writer.log_dir).Images("figure")
    assert (event.step, event.height, event.width) == (2, 50, 100)


# ------------------------------------------------------------------------------ video, audio
@pytest.mark.skipif(importlib.util.find_spec("moviepy") is not None, reason="moviepy installed")
def test_add_video_without_moviepy_raises(writer):
    with pytest.raises(ModuleNotFoundError, match="add_video needs package moviepy"):
        writer.add_video("video", ember.rand(1, 2, 3, 8, 8), 0)


@pytest.mark.skipif(importlib.util.find_spec("moviepy") is None, reason="needs moviepy")
def test_add_video(writer):
    writer.add_video("video", ember.rand(1, 3, 3, 8, 8), 1, fps=2)
    with pytest.raises(ValueError, match="dataformats should be NTCHW"):
        writer.add_video("bad", ember.rand(3, 3, 8, 8), 1, dataformats="TCHW")
    writer.close()
    [event] = _read(writer.log_dir).Images("video")
    assert (event.step, event.height, event.width) == (1, 8, 8)
    assert event.encoded_image_string.startswith(b"GIF8")


def test_add_audio(writer):
    writer.add_audio("sound", ember.tensor([[0.0, 0.5, -0.5, 1.0, 2.0]]), 3, sample_rate=8000)
    writer.close()
    [event] = _read(writer.log_dir).Audio("sound")
    assert (event.step, event.sample_rate, event.length_frames) == (3, 8000, 5)
    assert event.content_type == "audio/wav"
    with wave.open(io.BytesIO(event.encoded_audio_string)) as wav:
        assert (wav.getnchannels(), wav.getframerate()) == (1, 8000)
        samples = np.frombuffer(wav.readframes(5), dtype="<i2")
    assert samples.tolist() == [0, 16383, -16383, 32767, 32767]  # 2.0 is clipped to 1.0


def test_add_audio_needs_one_channel(writer):
    with pytest.raises(ValueError, match=r"one channel .* got shape \(2, 4\)"):
        writer.add_audio("stereo", ember.zeros(2, 4), 0)


# ------------------------------------------------------------------------ text, pr curves, mesh
def test_add_text(writer):
    writer.add_text("notes", "**lr** = 0.1", 5)
    writer.close()
    [event] = _read(writer.log_dir).Tensors("notes/text_summary")
    assert event.step == 5
    assert event.tensor_proto.string_val == [b"**lr** = 0.1"]


def test_add_pr_curve(writer):
    labels = ember.tensor([1, 0, 1, 0])
    predictions = ember.tensor([0.9, 0.1, 0.8, 0.6])
    writer.add_pr_curve("pr", labels, predictions, 1, num_thresholds=3)
    writer.close()
    [event] = _read(writer.log_dir).Tensors("pr")
    data = np.array(event.tensor_proto.float_val).reshape(6, 3)
    # thresholds 0, 0.5, 1 -> true/false positives, true/false negatives, precision, recall
    np.testing.assert_allclose(data, [[2, 2, 0], [2, 1, 0], [0, 1, 2], [0, 0, 2],
                                      [0.5, 2 / 3, 0], [1, 1, 0]], rtol=1e-6)


def test_add_mesh(writer):
    vertices = ember.tensor([[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    colors = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], dtype=np.uint8)
    faces = ember.tensor([[[0, 1, 2]]])
    writer.add_mesh("mesh", vertices, colors=colors, faces=faces, global_step=0)
    writer.close()
    read = _read(writer.log_dir)
    # tensorboardX's mesh summaries are tagged <tag>_<component>: 1 vertices, 2 faces, 3 colors
    [vertex_event] = read.Tensors("mesh_1")
    np.testing.assert_array_equal(vertex_event.tensor_proto.float_val, vertices.flatten().numpy())
    assert read.Tensors("mesh_2")[0].tensor_proto.float_val == [0, 1, 2]
    assert read.Tensors("mesh_3")[0].tensor_proto.float_val == colors.flatten().tolist()
    assert read.SummaryMetadata("mesh_1").plugin_data.plugin_name == "mesh"


# ---------------------------------------------------------------------------------- hparams
def _hparams_data(run_dir, tag):
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData

    metadata = _read(run_dir).SummaryMetadata(f"_hparams_/{tag}")
    return HParamsPluginData.FromString(metadata.plugin_data.content)


def test_add_hparams(writer, tmp_path):
    writer.add_hparams({"lr": 0.1, "optim": "sgd", "batch": ember.tensor(32), "nesterov": True},
                       {"hparam/accuracy": ember.tensor(0.75)},
                       hparam_domain_discrete={"optim": ["sgd", "adam"]}, run_name="trial",
                       global_step=3)
    writer.close()
    run_dir = tmp_path / "trial"
    assert _scalars(run_dir, "hparam/accuracy") == [(3, 0.75)]
    experiment = _hparams_data(run_dir, "experiment").experiment
    infos = {info.name: info for info in experiment.hparam_infos}
    assert sorted(infos) == ["batch", "lr", "nesterov", "optim"]
    assert [v.string_value for v in infos["optim"].domain_discrete.values] == ["sgd", "adam"]
    assert [m.name.tag for m in experiment.metric_infos] == ["hparam/accuracy"]
    values = _hparams_data(run_dir, "session_start_info").session_start_info.hparams
    assert values["lr"].number_value == 0.1 and values["batch"].number_value == 32
    assert values["optim"].string_value == "sgd" and values["nesterov"].bool_value


def test_add_hparams_default_run_name_is_a_time(writer, tmp_path):
    writer.add_hparams({"lr": 0.1}, {"loss": 1.0})
    writer.close()
    [run] = [name for name in os.listdir(tmp_path) if (tmp_path / name).is_dir()]
    assert float(run) > 1e9


def test_add_hparams_bad_input(writer):
    with pytest.raises(TypeError, match="should be dictionary"):
        writer.add_hparams([("lr", 0.1)], {"loss": 1.0})
    with pytest.raises(ValueError, match="int, float, str, bool, or ember.Tensor"):
        writer.add_hparams({"layers": [1, 2]}, {"loss": 1.0})
    with pytest.raises(TypeError, match=r"hparam_domain_discrete\[lr\] should be a list"):
        writer.add_hparams({"lr": 0.1}, {"loss": 1.0}, hparam_domain_discrete={"lr": ["a"]})


# -------------------------------------------------------------------------------- embeddings
def test_add_embedding(writer, tmp_path):
    from google.protobuf import text_format
    from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

    mat = ember.arange(30.0).reshape(10, 3)
    labels = ember.arange(10) % 3
    writer.add_embedding(mat, metadata=labels, label_img=ember.rand(10, 1, 4, 4), global_step=2,
                         tag="features")
    writer.close()
    config = text_format.Parse((tmp_path / "projector_config.pbtxt").read_text(),
                               ProjectorConfig())
    [embedding] = config.embeddings
    assert embedding.tensor_name == "features:00002"
    assert embedding.tensor_path == "00002/features/tensors.tsv"
    assert embedding.metadata_path == "00002/features/metadata.tsv"
    assert embedding.sprite.image_path == "00002/features/sprite.png"
    assert list(embedding.sprite.single_image_dim) == [4, 4]
    folder = tmp_path / "00002" / "features"
    rows = [line.split("\t") for line in (folder / "tensors.tsv").read_text().splitlines()]
    np.testing.assert_array_equal(np.array(rows, dtype=float), np.arange(30.0).reshape(10, 3))
    assert (folder / "metadata.tsv").read_text().split() == [str(i % 3) for i in range(10)]
    from PIL import Image

    assert Image.open(folder / "sprite.png").size == (16, 16)  # a 4 x 4 grid of 4 x 4 images


# ------------------------------------------------------------------------------------- graph
def _graph(log_dir):
    read = _read(log_dir)
    assert read.Tags()["graph"]
    return {node.name: node for node in read.Graph().node}


def _shape(node):
    return [[dim.size for dim in shape.dim] for shape in node.attr["_output_shapes"].list.shape]


def test_add_graph_lenet(writer):
    writer.add_graph(LeNet(), ember.randn(2, 3, 32, 32))
    writer.close()
    nodes = _graph(writer.log_dir)
    conv1, conv2, pool = "LeNet/Conv2d[conv1]", "LeNet/Conv2d[conv2]", "LeNet/MaxPool2d[pool]"
    expected = {  # name: (op, inputs, output shape)
        "input/x": ("IO Node", [], [2, 3, 32, 32]),
        f"{conv1}/weight": ("Parameter", [], [6, 3, 5, 5]),
        f"{conv1}/bias": ("Parameter", [], [6]),
        f"{conv1}/Convolution": ("Convolution", ["input/x", f"{conv1}/weight", f"{conv1}/bias"],
                                 [2, 6, 28, 28]),
        "LeNet/Relu": ("Relu", [f"{conv1}/Convolution"], [2, 6, 28, 28]),
        f"{pool}/MaxPool2DWithIndices": ("MaxPool2DWithIndices", ["LeNet/Relu"], [2, 6, 14, 14]),
        f"{conv2}/weight": ("Parameter", [], [16, 6, 5, 5]),
        f"{conv2}/bias": ("Parameter", [], [16]),
        f"{conv2}/Convolution": ("Convolution", [f"{pool}/MaxPool2DWithIndices",
                                                 f"{conv2}/weight", f"{conv2}/bias"],
                                 [2, 16, 10, 10]),
        "LeNet/Relu_1": ("Relu", [f"{conv2}/Convolution"], [2, 16, 10, 10]),
        f"{pool}/MaxPool2DWithIndices_1": ("MaxPool2DWithIndices", ["LeNet/Relu_1"],
                                           [2, 16, 5, 5]),
        "LeNet/View": ("View", [f"{pool}/MaxPool2DWithIndices_1"], [2, 400]),
        "output/output.1": ("IO Node", ["LeNet/Linear[fc3]/Addmm"], [2, 10]),
    }
    previous = "LeNet/View"
    for index, (fc, n_in, n_out) in enumerate([("fc1", 400, 120), ("fc2", 120, 84),
                                               ("fc3", 84, 10)]):
        scope = f"LeNet/Linear[{fc}]"
        expected[f"{scope}/weight"] = ("Parameter", [], [n_out, n_in])
        expected[f"{scope}/bias"] = ("Parameter", [], [n_out])
        # F.linear is one fused node reading the weight directly (no transposed view)
        expected[f"{scope}/Addmm"] = ("Addmm", [previous, f"{scope}/weight", f"{scope}/bias"],
                                      [2, n_out])
        if fc != "fc3":
            previous = f"LeNet/Relu_{index + 2}"
            expected[previous] = ("Relu", [f"{scope}/Addmm"], [2, n_out])
    assert sorted(nodes) == sorted(expected)
    for name, (op, inputs, shape) in expected.items():
        assert (nodes[name].op, list(nodes[name].input), _shape(nodes[name])) == \
            (op, inputs, [shape]), name


class _Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 4), nn.Tanh())

    def forward(self, x):
        return self.body(x) + x


class _TwoInOut(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = _Block()
        self.drop = nn.Dropout(0.5)

    def forward(self, left, right):
        hidden = self.drop(self.block(left)) * right
        return hidden, hidden.sum()


def test_add_graph_nested_scopes_and_several_inputs_outputs(writer):
    model = _TwoInOut()
    model.train()
    writer.add_graph(model, (ember.randn(3, 4), ember.randn(3, 4)))
    writer.close()
    assert model.training and model.drop.training  # add_graph traces in eval mode, then restores
    nodes = _graph(writer.log_dir)
    body = "_TwoInOut/_Block[block]/Sequential[body]"
    assert nodes[f"{body}/Linear[0]/Addmm"].input == [
        "input/left", f"{body}/Linear[0]/weight", f"{body}/Linear[0]/bias"]
    assert nodes[f"{body}/Tanh[1]/Tanh"].input == [f"{body}/Linear[0]/Addmm"]
    assert nodes["_TwoInOut/_Block[block]/Add"].input == [f"{body}/Tanh[1]/Tanh", "input/left"]
    # dropout is the identity in eval mode, so the product reads the block's output directly
    assert nodes["_TwoInOut/Mul"].input == ["_TwoInOut/_Block[block]/Add", "input/right"]
    assert nodes["output/output.1"].input == ["_TwoInOut/Mul"]
    assert nodes["output/output.2"].input == ["_TwoInOut/Sum"]
    assert _shape(nodes["output/output.2"]) == [[]]


class _Halves(nn.Module):
    def forward(self, input):
        first, second = input.split(2, 1)
        return first * second


def test_add_graph_multi_output_op(writer):
    writer.add_graph(_Halves(), ember.randn(3, 4))
    writer.close()
    nodes = _graph(writer.log_dir)
    assert (nodes["_Halves/Split"].op, nodes["_Halves/Split"].input) == ("Split", ["input/input"])
    assert _shape(nodes["_Halves/Split"]) == [[3, 2], [3, 2]]
    assert nodes["_Halves/Mul"].input == ["_Halves/Split", "_Halves/Split:1"]


def test_add_graph_leaves_the_model_untouched(writer):
    model = LeNet()
    before = {name: param.detach().clone() for name, param in model.named_parameters()}
    writer.add_graph(model, ember.randn(1, 3, 32, 32))
    assert all(param.grad is None for param in model.parameters())
    assert not model._forward_hooks and not model.conv1._forward_pre_hooks
    for name, param in model.named_parameters():
        assert ember.equal(param, before[name])
