"""A failed roster check offers the upload form again (page and htmx fragment), and the
corrected file sent from that form is checked and imported."""

import io

from kinerja.models.admin import ImportJob
from kinerja.models.org import Employee
from tests.builders_roster import BAD_ROW, roster_file
from tests.html import check_page, find_all, parse, texts


def _upload(client, action, content):
    return client.post(
        action,
        data={"file": (io.BytesIO(content), "pegawai.csv")},
        content_type="multipart/form-data",
    )


def _upload_form(tree):
    """The upload form of the page: posts multipart, has a file input and a submit button."""
    forms = [f for f in find_all(tree, "form", method="post") if f.get("action") == "/admin/impor"]
    assert len(forms) == 1
    form = forms[0]
    assert form.get("enctype") == "multipart/form-data"
    assert [i.get("name") for i in form.iter("input") if i.get("type") == "file"] == ["file"]
    assert [b.get("type") for b in form.iter("button")] == ["submit"]
    return form


def test_failed_check_offers_the_upload_form_again(world, login_as):
    client = login_as(world.accounts["admin"])
    before = Employee.select().count()
    response = _upload(client, "/admin/impor", roster_file(bad=True))
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert ImportJob.select().order_by(ImportJob.id.desc()).get().status == "GAGAL"

    page = client.get(job_url)
    tree = check_page(page.get_data(as_text=True))
    assert BAD_ROW in texts(tree, "li")
    form = _upload_form(tree)
    assert "Perbaiki berkas lalu unggah lagi." in texts(tree, "p")

    # The same when the result arrives as the htmx fragment (the polling swap).
    fragment = client.get(job_url, headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text
    part = parse(f"<!doctype html><title>x</title>{text}")
    assert BAD_ROW in texts(part, "li")
    _upload_form(part)

    # Sending the corrected file from that form: checked, then imported.
    response = _upload(client, form.get("action"), roster_file())
    assert response.status_code == 303
    job = ImportJob.select().order_by(ImportJob.id.desc()).get()
    assert job.status == "SIAP"
    tree = check_page(client.get(response.headers["Location"]).get_data(as_text=True))
    assert not [f for f in find_all(tree, "form") if f.get("action") == "/admin/impor"]
    assert client.post(f"/admin/impor/{job.id}/terapkan").status_code == 303
    assert ImportJob.get_by_id(job.id).status == "SELESAI"
    assert Employee.select().count() == before + 2


def test_auditor_gets_no_upload_form_under_a_failed_check(world, login_as):
    admin = login_as(world.accounts["admin"])
    job_url = _upload(admin, "/admin/impor", roster_file(bad=True)).headers["Location"]
    auditor = login_as(world.accounts["auditor"])
    tree = check_page(auditor.get(job_url).get_data(as_text=True))
    assert BAD_ROW in texts(tree, "li")
    assert not [f for f in find_all(tree, "form") if f.get("action") == "/admin/impor"]
