"""Trains a small CNN on the 8x8 handwritten digits bundled with ember (offline), shows a
progress bar per epoch, prints the test accuracy of each digit, saves a checkpoint and plots
the loss and accuracy curves. The same seed gives the same numbers."""

import argparse
import os
import time

from tqdm import tqdm

import ember
from ember import nn, optim
from ember.utils.data import DataLoader
from ember.vision import datasets, transforms

NAME = "demo"
HELP = "train a small CNN on the bundled digits (offline, under a minute on 2 cores)"

CHECKPOINT = "digits_cnn.pt"
PLOT = "curves.png"


class DigitsNet(nn.Module):
    """Three 3x3 convolutions with batch norm and ReLU, two 2x2 max-pools, a linear layer."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),   # [32, 8, 8]
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1),  # [32, 8, 8]
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2, 2),               # [32, 4, 4]
            nn.Conv2d(32, 64, 3, padding=1),  # [64, 4, 4]
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.MaxPool2d(2, 2),               # [64, 2, 2]
        )
        self.classifier = nn.Linear(64 * 2 * 2, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.classifier(x)


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--epochs", type=_positive_int, default=10,
                        help="passes over the 1,437 training images (default: 10)")
    parser.add_argument("--batch-size", type=_positive_int, default=32,
                        help="images per training step (default: 32)")
    parser.add_argument("--lr", type=float, default=0.01,
                        help="peak learning rate of Adam's one-cycle schedule (default: 0.01)")
    parser.add_argument("--out", default="ember-demo",
                        help="folder for the checkpoint and the plot (default: ./ember-demo)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--tensorboard", metavar="DIR",
                        help="also log loss, accuracy, weight histograms and the model graph "
                             "to TensorBoard event files in DIR (needs ember[tensorboard])")


def main(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    ember.manual_seed(args.seed)
    train_loader, test_loader = _loaders(args.batch_size)
    model = DigitsNet()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    print(f"Training {type(model).__name__} ({sum(p.numel() for p in model.parameters()):,} "
          f"parameters) on {len(train_loader.dataset)} digits, testing on "
          f"{len(test_loader.dataset)}")
    writer = _writer(args.tensorboard, model, test_loader)
    history, correct, total = fit(model, optimizer, train_loader, test_loader, args.epochs,
                                  args.quiet, writer)
    if writer is not None:
        writer.close()
        print(f"TensorBoard logs in {args.tensorboard} (tensorboard --logdir {args.tensorboard})")
    _print_per_class(test_loader.dataset.classes, correct, total)
    os.makedirs(args.out, exist_ok=True)
    _save_checkpoint(os.path.join(args.out, CHECKPOINT), model, optimizer, args.epochs)
    _plot(history, os.path.join(args.out, PLOT))
    print(f"Finished in {time.perf_counter() - start:.1f} s")
    print(f"Test accuracy: {100 * sum(correct) / sum(total):.2f} % "
          f"({sum(correct)}/{sum(total)} images)")
    return 0


def _writer(log_dir, model, loader):
    """A SummaryWriter holding the model's graph, or None without ``--tensorboard``."""
    if log_dir is None:
        return None
    from ember.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(log_dir)
    images, _ = next(iter(loader))
    writer.add_graph(model, images[:1])
    return writer


def _log_epoch(writer, model, epoch, history):
    for key, values in history.items():
        writer.add_scalar(key.replace("_", "/", 1), values[-1], epoch)
    for name, param in model.named_parameters():
        writer.add_histogram(name, param, epoch)


def fit(model, optimizer, train_loader, test_loader, epochs, quiet=False, writer=None):
    """Trains for ``epochs`` under a one-cycle schedule peaking at the optimizer's lr, testing
    after each epoch (logged to ``writer`` when given); returns the loss/accuracy history and
    the last test's per-class counts."""
    criterion = nn.CrossEntropyLoss()
    scheduler = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=optimizer.defaults["lr"],
                                              epochs=epochs, steps_per_epoch=len(train_loader))
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    for epoch in range(1, epochs + 1):
        desc = f"epoch {epoch}/{epochs}"
        train_loss, train_acc = train_epoch(model, train_loader, criterion, optimizer, scheduler,
                                            desc, quiet)
        test_loss, correct, total = evaluate(model, test_loader, criterion)
        test_acc = sum(correct) / sum(total)
        for key, value in zip(history, (train_loss, train_acc, test_loss, test_acc)):
            history[key].append(value)
        if writer is not None:
            _log_epoch(writer, model, epoch, history)
        print(f"{desc}: train loss {train_loss:.4f}, train accuracy {100 * train_acc:.1f} %, "
              f"test loss {test_loss:.4f}, test accuracy {100 * test_acc:.1f} %")
    return history, correct, total


def _loaders(batch_size):
    normalize = [transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]
    augment = transforms.RandomAffine(degrees=10, translate=(0.1, 0.1), scale=(0.9, 1.1))
    train_set = datasets.Digits(train=True, transform=transforms.Compose([augment, *normalize]))
    test_set = datasets.Digits(train=False, transform=transforms.Compose(normalize))
    return (DataLoader(train_set, batch_size=batch_size, shuffle=True),
            DataLoader(test_set, batch_size=120, shuffle=False))


def train_epoch(model, loader, criterion, optimizer, scheduler, desc, quiet):
    """One pass over ``loader``; returns the mean loss and the accuracy."""
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    start = time.perf_counter()
    with tqdm(loader, desc=desc, unit="batch", disable=quiet, leave=False) as bar:
        for images, labels in bar:
            optimizer.zero_grad()
            outputs = model(images)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total_loss += loss.item() * labels.size(0)
            correct += (outputs.argmax(1) == labels).sum().item()
            seen += labels.size(0)
            bar.set_postfix({"loss": f"{total_loss / seen:.4f}",
                             "acc": f"{100 * correct / seen:.1f}%",
                             "img/s": f"{seen / (time.perf_counter() - start):.0f}"},
                            refresh=False)  # redraw at tqdm's pace, not every step
    return total_loss / seen, correct / seen


def evaluate(model, loader, criterion):
    """The mean loss over ``loader`` and, per class, the correct and total counts."""
    model.eval()
    num_classes = len(loader.dataset.classes)
    correct, total, total_loss = [0] * num_classes, [0] * num_classes, 0.0
    with ember.no_grad():
        for images, labels in loader:
            outputs = model(images)
            total_loss += criterion(outputs, labels).item() * labels.size(0)
            _, predicted = ember.max(outputs, 1)
            for label, right in zip(labels.tolist(), (predicted == labels).tolist()):
                correct[label] += right
                total[label] += 1
    return total_loss / sum(total), correct, total


def _print_per_class(classes, correct, total):
    for name, right, count in zip(classes, correct, total):
        print(f"Accuracy of {name:>9} : {100 * right / count:5.1f} % ({right}/{count})")


def _save_checkpoint(path, model, optimizer, epochs):
    ember.save({"epoch": epochs, "model": model.state_dict(),
                "optimizer": optimizer.state_dict()}, path)
    print(f"Checkpoint saved to {path} (ember.load or torch.load reads it)")


def _plot(history, path):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("Plot skipped: matplotlib is not installed (pip install 'ember[plot]')")
        return
    figure = Figure(figsize=(9, 3.5), layout="tight")
    loss_axes, acc_axes = figure.subplots(1, 2)
    epochs = range(1, len(history["train_loss"]) + 1)
    for axes, key, title in ((loss_axes, "loss", "loss"), (acc_axes, "acc", "accuracy")):
        axes.plot(epochs, history[f"train_{key}"], marker="o", label="train")
        axes.plot(epochs, history[f"test_{key}"], marker="o", label="test")
        axes.set(xlabel="epoch", title=title)
        axes.legend()
    figure.savefig(path, dpi=100)
    print(f"Loss and accuracy curves saved to {path}")
