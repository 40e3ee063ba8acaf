"""The models of the seed tutorials, written once for either library (``nn`` is ``ember.nn``
or ``torch.nn``)."""


def build(nn, F, name):
    """The seed model ``name`` built with ``nn`` (and ``F``, its functional module)."""

    class SimpleMLP(nn.Module):  # seed 001
        def __init__(self, input_size=784, hidden_size=128, num_classes=10):
            super().__init__()
            self.fc1 = nn.Linear(input_size, hidden_size)
            self.relu = nn.ReLU()
            self.fc2 = nn.Linear(hidden_size, num_classes)

        def forward(self, x):
            return self.fc2(self.relu(self.fc1(x)))

    class MnistNet(nn.Module):  # seed 001
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(28 * 28, 512)
            self.fc2 = nn.Linear(512, 10)

        def forward(self, x):
            x = x.view(-1, 28 * 28)
            return self.fc2(F.relu(self.fc1(x)))

    class LeNet(nn.Module):  # seed 002
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 16 * 5 * 5)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    class Classifier(nn.Module):  # seed 000
        def __init__(self):
            super().__init__()
            self.cnn = nn.Sequential(
                nn.Conv2d(3, 64, 3, 1, 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2, 2, 0),
                nn.Conv2d(64, 128, 3, 1, 1), nn.BatchNorm2d(128), nn.ReLU(),
                nn.MaxPool2d(2, 2, 0),
                nn.Conv2d(128, 512, 3, 1, 1), nn.BatchNorm2d(512), nn.ReLU(),
                nn.MaxPool2d(2, 2, 0),
            )
            self.fc = nn.Sequential(
                nn.Linear(512 * 4 * 4, 1024), nn.ReLU(), nn.Linear(1024, 32), nn.ReLU(),
                nn.Linear(32, 11),
            )

        def forward(self, x):
            out = self.cnn(x)
            out = out.view(out.size()[0], -1)
            return self.fc(out)

    class LinearRegressionModel(nn.Module):  # seed 004
        def __init__(self, input_dim=1, output_dim=1):
            super().__init__()
            self.linear = nn.Linear(input_dim, output_dim)

        def forward(self, x):
            return self.linear(x)

    models = {"SimpleMLP": SimpleMLP, "MnistNet": MnistNet, "LeNet": LeNet,
              "Classifier": Classifier, "LinearRegressionModel": LinearRegressionModel}
    return models[name]()


INPUT_SHAPES = {"SimpleMLP": (4, 784), "MnistNet": (4, 1, 28, 28), "LeNet": (4, 3, 32, 32),
                "Classifier": (2, 3, 32, 32), "LinearRegressionModel": (5, 1)}
