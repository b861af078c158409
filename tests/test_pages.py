"""What each kind of user sees of the hierarchy in the browser's pages."""
import re

import pytest


def _children(html: str) -> list[str]:
    table = html.split('data-testid="children"', 1)
    if len(table) < 2:
        return []
    return re.findall(r'href="/satker/([^"]+)"', table[1].split("</table>", 1)[0])


def _normalised(html: str, asked: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html).replace(asked, "ASKED")


def test_a_kabupaten_sekretaris_sees_his_place_in_the_hierarchy_and_nothing_else(client, make_user, login):
    login(make_user("35.79", "sekretaris"))

    home = client.get("/")

    crumb = re.findall(r'<li class="breadcrumb-item[^"]*">(.*?)</li>', home.text, re.S)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in crumb] == [
        "KPU RI", "KPU Provinsi Jawa Timur", "KPU Kota Batu",
    ]
    assert "Anda dapat melihat 1 satker." in home.text
    assert "Kota Malang" not in home.text and "Denpasar" not in home.text
    # Ancestors are named but not linked: he cannot open them.
    assert 'href="/satker/35"' not in home.text
    assert client.get("/satker/35.79").status_code == 200
    for out_of_reach in ("35", "35.73", "51.71", "RI"):
        assert client.get(f"/satker/{out_of_reach}").status_code == 404


def test_a_province_reviewer_walks_down_to_its_kabupaten_kota_only(client, make_user, login):
    login(make_user("35", "reviewer"))

    home = client.get("/")
    assert _children(home.text) == ["35.73", "35.79"]
    batu = client.get("/satker/35.79")
    assert batu.status_code == 200 and "Reviewer satker ini" in batu.text
    assert client.get("/satker/51").status_code == 404
    assert client.get("/satker/51.71").status_code == 404


def test_the_kpu_ri_admin_walks_the_whole_tree(client, make_user, login):
    login(make_user("RI", "admin"))

    home = client.get("/")
    assert "Anda dapat melihat 7 satker." in home.text
    assert _children(home.text) == ["35", "51"]
    assert _children(client.get("/satker/51").text) == ["51.03", "51.71"]


def test_an_office_out_of_reach_answers_exactly_like_a_missing_one(client, make_user, login):
    login(make_user("35.79", "sekretaris"))

    foreign, missing = client.get("/satker/51.71"), client.get("/satker/99.99")

    assert foreign.status_code == missing.status_code == 404
    # Identical but for the echo of the address asked for and the per-request CSRF signature.
    assert _normalised(foreign.text, "51.71") == _normalised(missing.text, "99.99")


def test_a_person_without_memberships_is_told_so(client, make_user, login):
    login(make_user("35.79"))

    home = client.get("/")
    assert "belum memiliki keanggotaan" in home.text
    assert client.get("/satker/35.79").status_code == 404


@pytest.mark.parametrize(("lang", "text"), [("id", "Beranda"), ("en", "Home")])
def test_the_interface_speaks_indonesian_by_default_and_english_on_request(client, make_user, login, lang, text):
    login(make_user("35.79", "sekretaris"))
    home = client.get("/")
    assert "Beranda" in home.text and 'lang="id"' in home.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)

    response = client.post("/bahasa", data={"lang": lang, "next": "/", "csrf_token": token})

    assert response.status_code == 302 and response.location == "/"
    page = client.get("/")
    assert text in page.text and f'<html lang="{lang}">' in page.text


def test_the_language_switch_never_redirects_off_site(client):
    page = client.get("/masuk")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    response = client.post("/bahasa", data={"lang": "en", "next": "//evil.example/", "csrf_token": token})

    assert response.location == "/"
