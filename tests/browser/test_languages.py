import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_switch_english_french_english_on_a_filtered_programme(page, live_server, site):
    for slug, title in [
        ("panel", "Table ronde sur une gouvernance de l’IA digne de confiance"),
        ("health", "L’IA en santé et en science"),
    ]:
        session = site["sessions"][slug]
        session.title_fr = title
        session.save()
    page.goto(f"{live_server.url}/ai/programme/")
    page.get_by_label("Track").select_option("science")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/ai/programme/?*track=science*")
    filtered = page.url.removeprefix(live_server.url)
    assert page.locator(".session-title a").all_inner_texts() == [
        "AI in health and science",
        "AI and energy",
    ]

    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r".*/fr/ai/programme/\?.*track=science.*"))
    assert page.url.removeprefix(live_server.url) == f"/fr{filtered}"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator(".session-title a").all_inner_texts() == [
        "L’IA en santé et en science",
        "AI and energy",
    ]
    # The title with no French text is English, and says so.
    assert page.locator('.session-title a span[lang="en"]').all_inner_texts() == ["AI and energy"]

    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r".*/ai/programme/\?.*track=science.*"))
    assert page.url.removeprefix(live_server.url) == filtered
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".session-title a").all_inner_texts() == [
        "AI in health and science",
        "AI and energy",
    ]
