"""Download, checksum and archive helpers for :mod:`ember.vision.datasets` (torchvision's)."""

import gzip
import hashlib
import http.client
import os
import shutil
import tarfile
import urllib.request
import zipfile

__all__ = ["calculate_md5", "check_md5", "check_integrity", "download_url", "extract_archive",
           "download_and_extract_archive", "verify_str_arg"]

USER_AGENT = "ember/vision"
_TIMEOUT_S = 60


def calculate_md5(fpath, chunk_size: int = 1024 * 1024) -> str:
    """The hex md5 digest of the file ``fpath``."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath, md5: str, **kwargs) -> bool:
    return md5 == calculate_md5(fpath, **kwargs)


def check_integrity(fpath, md5: str | None = None) -> bool:
    """True if ``fpath`` is a file and, when ``md5`` is given, has that checksum."""
    if not os.path.isfile(fpath):
        return False
    return md5 is None or check_md5(fpath, md5)


def _urlretrieve(url, fpath, chunk_size=1024 * 32):
    from tqdm import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response, open(fpath, "wb") as fh:
        with tqdm(total=response.length, unit="B", unit_scale=True,
                  desc=os.path.basename(fpath)) as bar:
            while chunk := response.read(chunk_size):
                fh.write(chunk)
                bar.update(len(chunk))


def download_url(url: str, root, filename=None, md5: str | None = None) -> None:
    """Downloads ``url`` into ``root/filename`` unless a file with checksum ``md5`` is there.

    Raises:
        RuntimeError: naming ``url`` when it cannot be fetched (no network, HTTP error), or
            when the downloaded file does not match ``md5``.
    """
    root = os.path.expanduser(root)
    fpath = os.path.join(root, filename or os.path.basename(url))
    os.makedirs(root, exist_ok=True)
    if check_integrity(fpath, md5):
        return
    partial = fpath + ".partial"
    try:
        _urlretrieve(url, partial)
        os.replace(partial, fpath)
    # URLError and timeouts are OSErrors; ValueError: malformed URL; HTTPException: cut stream
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise RuntimeError(f"Error downloading {url}: {error}") from error
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    if not check_integrity(fpath, md5):
        raise RuntimeError(f"The file {fpath} downloaded from {url} is corrupted: expected md5 "
                           f"{md5}, got {calculate_md5(fpath)}")


def extract_archive(from_path, to_path=None, remove_finished: bool = False):
    """Extracts a ``.tar``, ``.tar.gz``, ``.tgz`` or ``.zip`` archive, or decompresses a ``.gz``.

    Returns:
        the folder extracted to, or the decompressed file's path for a ``.gz`` file.
    """
    to_path = os.path.dirname(from_path) if to_path is None else to_path
    name = os.fspath(from_path)
    if name.endswith((".tar", ".tar.gz", ".tgz")):
        with tarfile.open(from_path) as archive:
            # The "data" filter refuses absolute paths and links out of to_path (Python >= 3.10.12).
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(to_path, **safe)
    elif name.endswith(".zip"):
        with zipfile.ZipFile(from_path) as archive:
            archive.extractall(to_path)
    elif name.endswith(".gz"):
        target = os.path.join(to_path, os.path.basename(name)[:-len(".gz")])
        with gzip.open(from_path, "rb") as source, open(target, "wb") as destination:
            shutil.copyfileobj(source, destination)
        to_path = target
    else:
        raise RuntimeError(f"Unknown compression or archive type: '{name}'.")
    if remove_finished:
        os.remove(from_path)
    return to_path


def download_and_extract_archive(url: str, download_root, extract_root=None, filename=None,
                                 md5: str | None = None, remove_finished: bool = False) -> None:
    """:func:`download_url` into ``download_root``, then :func:`extract_archive` the file."""
    download_root = os.path.expanduser(download_root)
    filename = filename or os.path.basename(url)
    download_url(url, download_root, filename, md5)
    extract_archive(os.path.join(download_root, filename), extract_root or download_root,
                    remove_finished)


def _download_or_check(dataset, download):
    """Runs ``dataset.download()`` if ``download``; raises if the files are still missing."""
    if download:
        dataset.download()
    if not dataset._check_exists():
        raise RuntimeError("Dataset not found. You can use download=True to download it")


def verify_str_arg(value, arg=None, valid_values=None, custom_msg=None):
    """Returns ``value`` if it is a string among ``valid_values``; raises ValueError otherwise."""
    if not isinstance(value, str):
        where = "" if arg is None else f" for argument {arg}"
        raise ValueError(f"Expected type str{where}, but got type {type(value)}.")
    if valid_values is None or value in valid_values:
        return value
    valid = "'" + "', '".join(str(item) for item in valid_values) + "'"
    raise ValueError(custom_msg or
                     f"Unknown value '{value}' for argument {arg}. Valid values are {{{valid}}}.")
