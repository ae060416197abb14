import json
import re

from django.template import Context, Template
from django.utils import translation

from assessment.templatetags.numbers import figure_script, one_decimal


def test_figure_script_cannot_be_closed_by_the_data():
    html = figure_script({"text": "</script><script>alert(1)</script> & <b>"}, "figure")
    assert html.count("</script>") == 1
    body = re.fullmatch(r'<script id="figure" type="application/json">(.*)</script>', html)
    assert json.loads(body.group(1)) == {"text": "</script><script>alert(1)</script> & <b>"}


def test_figure_script_escapes_the_element_id():
    assert 'id="a&quot;b"' in figure_script({}, 'a"b')


def test_one_decimal_follows_the_language():
    with translation.override("nl"):
        assert one_decimal(3.456) == "3,5"
    with translation.override("en"):
        assert one_decimal(3.456) == "3.5"
    assert one_decimal(None) == "–"


def test_the_filters_work_in_a_template():
    template = Template('{% load numbers %}{{ value|one_decimal }} {{ data|figure_script:"x" }}')
    with translation.override("nl"):
        html = template.render(Context({"value": 2.25, "data": [1, 2]}))
    assert html.startswith("2,2 ") or html.startswith("2,3 ")
    assert '<script id="x" type="application/json">[1,2]</script>' in html
