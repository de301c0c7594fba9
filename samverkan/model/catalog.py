"""The method catalog: working methods agreements refer to by id.

The catalog is data (``samverkan/model/data/metoder.yaml``), not code, so adding a
method is an edit to one YAML file. An agreement can add local methods of its
own in ``egna_metoder``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .models import Agreement, Metod
from .yamlread import read_data


@cache
def catalog() -> dict[str, Metod]:
    """The built-in methods by id, in catalog order."""
    text = resources.files("samverkan.model").joinpath("data/metoder.yaml").read_text(encoding="utf-8")
    entries = read_data(text)
    methods = [Metod.model_validate(entry) for entry in entries]
    return {m.id: m for m in methods}


def methods_for(agreement: Agreement) -> dict[str, Metod]:
    """The catalog plus the agreement's own methods (its own win on clashes)."""
    known = dict(catalog())
    known.update({m.id: m for m in agreement.egna_metoder})
    return known
