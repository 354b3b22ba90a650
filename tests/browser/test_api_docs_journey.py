from .conftest import login, shoot

# Collects what the browser refused under the Content-Security-Policy, from the first script on.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def test_signed_in_staff_read_the_api_docs_under_the_csp(page, kepala):
    problems = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(CSP_LISTENER)
    login(page, "kepala")
    page.goto(page.base_url + "/api/docs/")
    page.locator(".opblock").first.wait_for()
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/inmates/{id}/" in " ".join(operations)
    assert len(operations) > 50
    assert page.evaluate("window.__csp") == []
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not problems, problems
    shoot(page, "api-docs")
