"""The health checks a load balancer asks (webapp/health.py)."""
from webapp import create_app


def test_health_answers_ok_to_anyone_without_a_session(client, db):
    for path in ("/sehat", "/sehat/db"):
        response = client.get(path)
        assert (response.status_code, response.text) == (200, "ok\n"), path
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers


def test_health_of_the_database_says_503_when_it_cannot_be_reached(tmp_path):
    # A PostgreSQL address where nothing listens (port 1), asked once without waiting.
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://127.0.0.1:1/nothing?connect_timeout=2"})
    client = app.test_client()
    assert client.get("/sehat").status_code == 200  # the process itself is fine
    response = client.get("/sehat/db")
    assert (response.status_code, response.text) == (503, "db tidak tersedia\n")
    assert "Traceback" not in response.text
