"""Editing a form's identity as a person with openpyxl would, in both places wfscore keeps
it: the very hidden sheet and the custom document properties (which collect reads first)."""

from __future__ import annotations

from wfscore.inputs import forms, signing


def sync_properties(wb) -> None:
    """Write the identity sheet's rows of ``wb`` into its custom document properties again
    (a row deleted from the sheet is gone from the properties too), before ``wb.save``."""
    from openpyxl.packaging.custom import CustomPropertyList, StringProperty

    kept = CustomPropertyList()
    for prop in wb.custom_doc_props.props:
        if not str(prop.name).startswith(forms.PROPERTY_PREFIX):
            kept.append(prop)
    for name, value in wb[forms.IDENTITY].iter_rows(max_col=2, values_only=True):
        if name is None:
            continue
        text = "" if value is None else str(value)
        for n in range(0, max(len(text), 1), forms.PROPERTY_CHARS):
            kept.append(
                StringProperty(
                    name=f"{forms.PROPERTY_PREFIX}{name}" + (f".{n // forms.PROPERTY_CHARS}" if n else ""),
                    value=text[n : n + forms.PROPERTY_CHARS],
                )
            )
    wb.custom_doc_props = kept


def unsigned(path) -> None:
    """The form at ``path`` as wfscore made it before it signed its forms: no signature row."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[forms.IDENTITY]
    for row in ws.iter_rows():
        if row[0].value == signing.SIGNATURE:
            ws.delete_rows(row[0].row)
    sync_properties(wb)
    wb.save(path)
