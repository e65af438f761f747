"""Writing output files: whole or not at all, and nothing but the file asked for.

Every file quadtheory writes (network files, results, reports, figures) goes through
:func:`atomic_write`: the text lands in a temporary file beside the target, which then
replaces it in one step, so a reader (or a resumed sweep) never sees half a file. The target
must be a regular file or not exist yet: a device, a FIFO or a folder is refused before
anything is written, a symbolic link is written through (the link stays), the temporary file
is removed on every path, and a new file gets the mode the umask allows (0644 typically).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import QuadTheoryError


def writable(path: str | os.PathLike[str], where: str = "output") -> Path:
    """The real path a file may be written to, checked before any work is done: an existing
    target must be a regular file (a link is followed), and its folder must exist.

    >>> writable("/dev/null")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: output '/dev/null': exists and is a character device; expected ...
    """
    target = Path(path)
    if not str(path):
        raise QuadTheoryError(f"{where}: expected a file name, found ''")
    real = Path(os.path.realpath(target))
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise QuadTheoryError(f"{where} {str(path)!r}: cannot use it ({error.strerror})") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise QuadTheoryError(f"{where} {str(path)!r}: exists and is {_kind(mode)}; expected a "
                              "regular file to write")
    if not real.parent.is_dir():
        raise QuadTheoryError(f"{where} {str(path)!r}: the folder {str(real.parent)!r} does not "
                              "exist")
    return real


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _new_file_mode(real: Path) -> int:
    try:
        return stat.S_IMODE(real.stat().st_mode)  # keep an existing file's mode
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str | os.PathLike[str], data: str | bytes, where: str = "output") -> None:
    """Write ``data`` to ``path`` whole or not at all (see the module docstring).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "a.txt"
    ...     atomic_write(target, "hello\\n")
    ...     target.read_text(), sorted(p.name for p in pathlib.Path(folder).iterdir())
    ('hello\\n', ['a.txt'])
    """
    real = writable(path, where)
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb" if isinstance(data, bytes) else "w") as handle:
            handle.write(data)
        os.chmod(tmp, _new_file_mode(real))
        os.replace(tmp, real)
    except OSError as error:
        raise QuadTheoryError(f"{where} {str(path)!r}: cannot write it "
                              f"({error.strerror or error})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
