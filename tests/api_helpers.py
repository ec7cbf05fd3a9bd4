from rest_framework.test import APIClient


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]
