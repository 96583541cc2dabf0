"""Reading KIS symbol master files from disk (the parsing itself is pure: domain/master.py).

File access lives here, outside the pure domain layer: the master refresh job reads the
``*_code.mst`` files (or the ``*_code.mst.zip`` KIS publishes) and hands the bytes to
:func:`lucy_tui.domain.master.parse_master`.
"""

from __future__ import annotations

import zipfile
from os import PathLike
from pathlib import Path
from typing import Literal

from ..domain.master import MasterRecords, parse_master
from ..domain.model import Market

_FILE_MARKETS = {"kospi": Market.KOSPI, "kosdaq": Market.KOSDAQ, "konex": Market.KONEX}


def parse_master_file(path: str | PathLike[str], market: Market | str | None = None,
                      errors: Literal["raise", "skip"] = "raise") -> MasterRecords:
    """Parse a ``*_code.mst`` file, or the ``*_code.mst.zip`` KIS publishes.

    Without ``market`` it is read from the file name (``kosdaq_code.mst`` → KOSDAQ).
    """
    path = Path(path)
    if market is None:
        stem = path.name.lower().split("_", 1)[0]
        if stem not in _FILE_MARKETS:
            raise ValueError(f"{path.name}: cannot tell the market from the name; pass market=")
        market = _FILE_MARKETS[stem]
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".mst")]
            if len(members) != 1:
                raise ValueError(f"{path.name}: expected one .mst file inside, found {members}")
            data = archive.read(members[0])
    else:
        data = path.read_bytes()
    return parse_master(data, market, errors)
