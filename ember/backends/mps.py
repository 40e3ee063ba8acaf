"""Apple's Metal backend: not part of ember; both queries answer ``False``."""


def is_available():
    return False


def is_built():
    return False
