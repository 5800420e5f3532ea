from __future__ import annotations

from django.template import Context, Template
from django.utils.safestring import SafeString

from helpline.knowledge.rendering import markdown_html


def test_commonmark_with_tables_and_strikethrough():
    html = markdown_html(
        "## Documents\n\n- **passport**\n- *migration card*\n\n"
        "| fee | amount |\n|---|---|\n| patent | 7000 |\n\n~~old rule~~\n\n> quote\n\n---\n"
    )
    assert isinstance(html, SafeString)
    for tag in ("<h2>", "<ul>", "<li><strong>passport</strong></li>", "<em>", "<table>"):
        assert tag in html
    assert "<td>7000</td>" in html and "<s>old rule</s>" in html
    assert "<blockquote>" in html and "<hr>" in html


def test_raw_html_never_survives_as_markup():
    html = markdown_html(
        'Hello <script>alert(1)</script>\n\n<div onclick="x()">block</div>\n\n'
        '<img src=x onerror=alert(2)> <a href="https://evil.example">raw link</a>'
    )
    assert "<script" not in html and "<div" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<a " not in html


def test_links_keep_only_safe_schemes_and_get_rel():
    html = markdown_html(
        "[site](https://example.org/a?b=1) [mail](mailto:help@example.org) "
        "[call](tel:+78003330016) "
        "[js](javascript:alert(1)) [data](data:text/html;base64,xx) [rel](/admin/)"
    )
    assert '<a href="https://example.org/a?b=1" rel="noopener noreferrer nofollow">site</a>' in html
    assert 'href="mailto:help@example.org"' in html and 'href="tel:+78003330016"' in html
    assert "javascript:" not in html.replace("[js](javascript:alert(1))", "")
    assert 'href="javascript' not in html and 'href="data' not in html
    assert 'href="/admin/"' not in html


def test_code_is_escaped_and_images_become_text():
    html = markdown_html("```\n<b>x</b>\n```\n\n![map of the office](https://x.example/m.png)")
    assert "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>" in html
    assert "<img" not in html and "map of the office" in html


def test_empty_text():
    assert markdown_html("") == "" and markdown_html(None) == ""


def test_template_filter():
    rendered = Template("{% load knowledge %}{{ text|markdown }}").render(
        Context({"text": "**a** <i>b</i>"})
    )
    assert rendered == "<p><strong>a</strong> &lt;i&gt;b&lt;/i&gt;</p>"
