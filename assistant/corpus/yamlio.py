"""Readable YAML for the curated records: long texts as folded blocks, Unicode as is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump(data: Any) -> str:
    """Serialise records the way they are committed in `corpus/`."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def write(path: Path, data: Any) -> None:
    """Write records to a YAML file (UTF-8, trailing newline)."""
    path.write_text(dump(data), encoding="utf-8")


# libyaml's parser where PyYAML was built with it: the pure-Python one takes seconds over the
# corpus at every start. Both read the same safe subset.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path: Path) -> Any:
    """Read a YAML file of records."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
