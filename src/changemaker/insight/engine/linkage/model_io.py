"""The linkage model as a versioned JSON document: written, read back and checked, and the
built-in model shipped with Changemaker."""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path
from typing import Any

import splink

from changemaker.insight.engine.linkage.parameters import (
    BUILTIN_MODEL,
    MODEL_FORMAT,
    MODEL_VERSION,
    LinkageParameters,
    ModelFileError,
)


def model_document(parameters: LinkageParameters, model: dict[str, Any]) -> dict[str, Any]:
    """The versioned JSON document of a fitted linker: its parameters and Splink model."""
    params = asdict(parameters)
    return {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "splink_version": splink.__version__,
        "parameters": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
        "splink_model": model,
    }


def write_document(path: Path, document: dict[str, Any]) -> None:
    """Write the model as JSON (atomically: a half-written model is never left behind)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def parse_document(document: dict[str, Any]) -> tuple[LinkageParameters, dict[str, Any]]:
    """The parameters and Splink model of a document; :class:`ModelFileError` if unusable."""
    if document.get("format") != MODEL_FORMAT:
        raise ModelFileError("not a Changemaker linkage model")
    version = document.get("version")
    if not isinstance(version, int) or version > MODEL_VERSION:
        raise ModelFileError(f"model version {version!r} is newer than this software")
    raw = document.get("parameters")
    model = document.get("splink_model")
    if not isinstance(raw, dict) or not isinstance(model, dict):
        raise ModelFileError("model file is missing its parameters or Splink model")
    known = set(LinkageParameters.__dataclass_fields__)
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in known
    }
    try:
        parameters = LinkageParameters(**values)
    except TypeError as exc:
        raise ModelFileError(f"bad parameters in model file: {exc}") from None
    return parameters, model


def read_document(path: Path) -> dict[str, Any]:
    """The JSON document of a model file; :class:`ModelFileError` if it cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"cannot read model {path.name}: {exc}") from None
    if not isinstance(document, dict):
        raise ModelFileError("model file is not a JSON object")
    return document


def builtin_document() -> dict[str, Any]:
    """The document of the model shipped with Changemaker (``builtin_model.json``)."""
    resource = files("changemaker.insight.engine").joinpath(BUILTIN_MODEL)
    document: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return document
