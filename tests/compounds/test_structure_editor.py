"""The structure editor include: a textarea that works alone, JSME served from our own static
files, and a production collectstatic that accepts the JSME package as npm ships it."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

import cobench

JSME = Path(cobench.__file__).parent / "static" / "vendor" / "jsme"
MOLFILE_FIRST_LINE_BLANK = (
    "\n     RDKit          2D\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n"
)


def test_the_include_renders_a_named_textarea_with_its_value_and_the_editor():
    html = render_to_string(
        "compounds/_structure_editor.html",
        {"name": "query", "value": "c1ccccc1<b>", "label": "Query", "rows": 3},
    )
    assert '<textarea name="query" id="id_query" rows="3"' in html
    assert "c1ccccc1&lt;b&gt;</textarea>" in html  # escaped
    assert '<label for="id_query">Query</label>' in html
    assert 'data-jsme="/static/vendor/jsme/"' in html and "structure_editor.js" in html
    # the toggle and the canvas appear only once the script runs
    assert '<div class="structure-modes" hidden>' in html
    assert '<div class="structure-canvas" hidden>' in html


def test_a_molfile_keeps_its_blank_first_line():
    html = render_to_string(
        "compounds/_structure_editor.html", {"name": "s", "value": MOLFILE_FIRST_LINE_BLANK}
    )
    # browsers drop one newline right after <textarea>: the molfile's own must survive it
    assert ">\n\n     RDKit" in html


@pytest.mark.parametrize(
    ("who", "path"), [("sponsor_lead", "requests/new/"), ("partner_lead", "compounds/register/")]
)
def test_request_and_register_forms_use_the_editor(web, world, who, path):
    html = web(getattr(world, who)).get(f"/projects/{world.project.id}/{path}").content.decode()
    assert 'class="structure-editor"' in html and '<textarea name="structure"' in html


def test_collectstatic_takes_the_jsme_package_as_npm_ships_it(tmp_path, settings):
    if not (JSME / "jsme.nocache.js").exists():
        pytest.fail("JSME is not built: run `make vendor` (npm ci, then a copy into static/)")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "cobench.web.staticfiles.StaticStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "vendor" / "jsme" / "jsme.nocache.js").exists()
    assert (tmp_path / "vendor" / "jsme" / "license.txt").exists()
    assert (tmp_path / "staticfiles.json").exists()
