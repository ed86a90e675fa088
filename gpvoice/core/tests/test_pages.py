import pytest
from django.urls import reverse

from gpvoice.core.models import Role


@pytest.mark.django_db
def test_unknown_group_is_a_clear_404(client, personas):
    client.force_login(personas[Role.CORE])
    response = client.get("/g/no-such-group/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_member_of_one_group_only_lands_in_it(client, personas, group):
    client.force_login(personas[Role.CORE])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == f"/g/{group.slug}/"


@pytest.mark.django_db
def test_group_page_uses_nhs_layout_without_logo_and_strict_csp(client, personas, group):
    client.force_login(personas[Role.CORE])
    response = client.get(f"/g/{group.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="nhsuk-header' in html and "nhsuk-skip-link" in html and "nhsuk-footer" in html
    assert "nhsuk-header__logo" not in html
    assert group.name in html
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "http" not in csp
    assert response["Cache-Control"] == "no-store"
    # Every URL the page asks the browser for is on our own host.
    assert "https://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.django_db
def test_nhs_logo_shows_when_an_nhs_body_opts_in(client, personas, group, settings):
    from django.template import engines

    jinja = engines["jinja2"].env
    jinja.globals["SHOW_NHS_LOGO"] = True
    try:
        client.force_login(personas[Role.CORE])
        assert "nhsuk-header__logo" in client.get(f"/g/{group.slug}/").content.decode()
    finally:
        jinja.globals["SHOW_NHS_LOGO"] = False


@pytest.mark.django_db
def test_group_switcher_lists_each_group_of_the_user(client, group, other_group):
    from conftest import make_member
    from gpvoice.core.services import membership_set

    user = make_member(group, Role.CORE, "both@example.test")
    membership_set(group=other_group, user=user, role=Role.OBSERVER)
    client.force_login(user)
    html = client.get(f"/g/{group.slug}/").content.decode()
    assert f'href="/g/{other_group.slug}/"' in html and 'aria-current="page"' in html


@pytest.mark.django_db
def test_css_image_paths_resolve(client):
    css = client.get("/assets/nhsuk-frontend.min.css")
    assert css.status_code == 200
    body = b"".join(css.streaming_content).decode()  # WhiteNoise streams the file
    assert "url(/assets/images/nhsuk-icon-cross.svg)" in body
    assert "assets.nhs.uk" not in body and "https://" not in body, "no third-party fonts"
    assert client.get("/assets/images/nhsuk-icon-cross.svg").status_code == 200
    assert client.get("/assets/images/favicon.ico").status_code == 200
    assert client.get("/assets/../pyproject.toml").status_code == 404


@pytest.mark.django_db
def test_health_endpoint(client):
    assert client.get(reverse("core:health")).json() == {"status": "ok"}


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_members(client, personas, group, django_assert_max_num_queries):
    from conftest import make_member

    client.force_login(personas[Role.CORE])
    with django_assert_max_num_queries(8):
        client.get(f"/g/{group.slug}/people/")
    for i in range(30):
        make_member(group, Role.PRACTICE_STAFF, f"staff{i}@example.test")
    with django_assert_max_num_queries(8):
        response = client.get(f"/g/{group.slug}/people/")
    assert "staff29@example.test" in response.content.decode()  # 36 members: one page


@pytest.mark.django_db
def test_not_found_page_is_clear_and_styled(client, personas):
    client.force_login(personas[Role.CORE])
    response = client.get("/g/some-other-group/people/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "nhsuk-header" in html and "not be a member" in html


@pytest.mark.django_db
def test_people_page_shows_one_page_of_members_sorted_by_name(client, personas, group):
    from conftest import make_member

    for i in range(60):
        make_member(group, Role.PRACTICE_STAFF, f"staff{i:02d}@example.test")
    client.force_login(personas[Role.CORE])
    first = client.get(f"/g/{group.slug}/people/").content.decode()
    # 66 members (6 personas + 60): 50 on the first page, by the name shown (here the email).
    assert "66 people, 1 to 50 shown" in first
    assert "admin@northvale.test" in first and "staff43@example.test" in first
    assert "staff44@example.test" not in first
    assert 'href="?page=2"' in first
    second = client.get(f"/g/{group.slug}/people/?page=2").content.decode()
    assert "66 people, 51 to 66 shown" in second and "staff59@example.test" in second
    assert "staff43@example.test" not in second


@pytest.mark.django_db
def test_people_page_sorts_by_role_and_keeps_the_sort_across_pages(client, personas, group):
    from conftest import make_member

    for i in range(60):
        make_member(group, Role.PRACTICE_STAFF, f"staff{i:02d}@example.test")
    client.force_login(personas[Role.CORE])
    page = client.get(f"/g/{group.slug}/people/?sort=role").content.decode()
    assert "Sorted by role" in page and 'href="?sort=role&amp;page=2"' in page
