"""Every form of the portal answers bad input in Indonesian, never with WTForms' English
(issue 19, Low: "Not a valid choice", "Not a valid date value.")."""

import importlib
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from wtforms import fields as wtf_fields
from wtforms.fields.choices import SelectChoice

import portal
from portal.forms import MESSAGES, KinerjaForm

ENGLISH = re.compile(
    r"\b(not a|invalid|this field|field|must|number|date|choices?|value|cannot|characters?|"
    r"required|between|least|most)\b",
    re.IGNORECASE,
)


def _all_form_classes() -> list[type]:
    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(info.name)
    from kinerja import settings
    from portal.admin.console_forms import settings_form_class
    from portal.supervisor.skp_forms import expectation_form_class

    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("portal.") and cls is not KinerjaForm:
            found.append(cls)
    found += [expectation_form_class(), settings_form_class(settings.SPECS)]
    return found


FORMS = _all_form_classes()


def _bad_values(field) -> list[str]:
    """Values that each field type refuses (and an empty and an overlong one)."""
    if isinstance(field, wtf_fields.BooleanField | wtf_fields.FileField):
        return []
    if isinstance(field, wtf_fields.SelectMultipleField):
        return ["bukan-pilihan-apa-pun", ""]
    if isinstance(field, wtf_fields.SelectField | wtf_fields.RadioField):
        return ["bukan-pilihan-apa-pun", ""]
    if isinstance(field, wtf_fields.DateField | wtf_fields.DateTimeField | wtf_fields.TimeField):
        return ["31-02-bukan", "2026-13-45", ""]
    if isinstance(field, wtf_fields.IntegerField | wtf_fields.DecimalField | wtf_fields.FloatField):
        return ["dua belas", "-99999999999999999999", "1e999", ""]
    return ["", "x" * 20_000, "\x00"]


def test_every_portal_form_is_a_kinerja_form():
    assert len(FORMS) > 30
    for cls in FORMS:
        assert issubclass(cls, KinerjaForm), f"{cls.__module__}.{cls.__name__}"


def test_every_wtforms_message_has_an_indonesian_text():
    for english, indonesian in MESSAGES.items():
        assert not ENGLISH.search(re.sub(r"%\(\w+\)[sd]|%s", "", indonesian)), english


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_bad_input_gets_only_indonesian_messages(app, form_class):
    for round_ in range(4):
        with app.test_request_context():
            probe = form_class(meta={"csrf": False})
            data = {}
            for name, field in probe._fields.items():
                values = _bad_values(field)
                if values:
                    data[name] = values[round_ % len(values)]
        with app.test_request_context(method="POST", data=data):
            form = form_class(meta={"csrf": False})
            for field in form:
                choice = isinstance(field, wtf_fields.SelectField | wtf_fields.RadioField)
                if choice and field.choices is None:
                    field.choices = [SelectChoice("1", "Satu")]
            form.validate()
            messages = []
            for errors in form.errors.values():
                messages += errors if isinstance(errors, list) else [str(errors)]
            for message in messages:
                assert not ENGLISH.search(str(message)), (form_class.__name__, data, message)


def test_select_and_date_messages_in_indonesian(app):
    from wtforms import DateField, SelectField

    class Sample(KinerjaForm):
        pilihan = SelectField("Pilihan", choices=[SelectChoice("a", "A")])
        tanggal = DateField("Tanggal")

    with app.test_request_context(method="POST", data={"pilihan": "z", "tanggal": "kemarin"}):
        form = Sample(meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {
            "pilihan": ["Pilihan tidak valid."],
            "tanggal": ["Tanggal tidak valid."],
        }
