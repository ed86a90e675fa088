from gpvoice.core.markdown import plain, render


def test_markdown_keeps_emphasis_links_and_tables():
    html = render("**Agreed** by [the LMC](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>Agreed</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">the LMC</a>' in html
    assert "<td>2</td>" in html


def test_hostile_markup_is_inert():
    html = render('<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))')
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, not run


def test_a_top_level_heading_becomes_a_second_level_one():
    assert render("# Title").strip() == "<h2>Title</h2>"


def test_plain_text_has_no_markup_and_no_escapes():
    assert plain("**Fish** & <b>chips</b>") == "Fish & <b>chips</b>"
