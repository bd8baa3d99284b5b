"""axe-core for pages shown without JavaScript."""


def axe_check_for_markup(page, axe_check):
    """axe-core cannot run in a page without JavaScript, so the markup that page shows is served
    again, as it is, to `page` (with JavaScript and the same styles) and checked there."""

    def check(nojs_page):
        html, url = nojs_page.content(), nojs_page.url
        page.route(
            lambda u: u == url,
            lambda route: route.fulfill(
                status=200, body=html, content_type="text/html; charset=utf-8"
            ),
        )
        page.goto(url)
        violations = axe_check(page)
        page.unroute_all()
        return violations

    return check
