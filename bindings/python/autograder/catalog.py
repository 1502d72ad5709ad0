"""The templates the library knows and the test functions they offer, with parameter docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Tuple

from . import _native


@dataclass(frozen=True)
class Parameter:
    """A parameter of a test function, as the configuration's tests give it.

    ``type`` is one of ``"string"``, ``"number"``, ``"boolean"``, ``"list"``, ``"object"`` (or an
    alternative such as ``"string|object"``).
    """

    name: str
    type: str = "string"
    required: bool = False
    description: str = ""

    def to_json(self) -> Dict[str, Any]:
        return {"name": self.name, "type": self.type, "required": self.required, "description": self.description}

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "Parameter":
        return cls(
            name=document.get("name", ""),
            type=document.get("type", "string"),
            required=bool(document.get("required", False)),
            description=document.get("description", ""),
        )


@dataclass(frozen=True)
class FunctionInfo:
    """A test function of a template (``expect_output``, ``forbidden_import``, ...)."""

    key: str
    description: str
    parameters: Tuple[Parameter, ...]


@dataclass(frozen=True)
class TemplateInfo:
    """A template: a named set of test functions a configuration can use."""

    name: str
    description: str
    functions: Tuple[FunctionInfo, ...]

    def function(self, key: str) -> FunctionInfo:
        """The function with this key; KeyError when the template has none."""
        for candidate in self.functions:
            if candidate.key == key:
                return candidate
        raise KeyError(key)


def templates() -> List[TemplateInfo]:
    """The built-in templates (``input_output``, ``static_analysis``, ...) and their functions."""
    document = _native.call_returning_json(_native.lib.ag_templates_json)
    return [
        TemplateInfo(
            name=entry.get("name", ""),
            description=entry.get("description", ""),
            functions=tuple(
                FunctionInfo(
                    key=function.get("key", ""),
                    description=function.get("description", ""),
                    parameters=tuple(Parameter.from_json(p) for p in function.get("parameters", [])),
                )
                for function in entry.get("functions", [])
            ),
        )
        for entry in document.get("templates", [])
    ]
