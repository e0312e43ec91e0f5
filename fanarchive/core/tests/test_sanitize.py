from fanarchive.core.sanitize import sanitize_html


def test_scripts_handlers_and_javascript_urls_are_removed():
    dirty = (
        '<p onclick="steal()">Hi<script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)></p>'
    )
    clean = sanitize_html(dirty)
    assert "script" not in clean
    assert "onclick" not in clean
    assert "onerror" not in clean
    assert "javascript:" not in clean


def test_links_get_nofollow_and_formatting_stays():
    clean = sanitize_html('<p><em>a</em> <a href="https://example.org">b</a></p>')
    assert "<em>a</em>" in clean
    assert 'rel="nofollow"' in clean
