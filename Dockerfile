# One image for the web server, the Celery worker and Celery beat.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SUUNTA_VAR_DIR=/data \
    STATIC_ROOT=/app/staticfiles \
    PORT=8000

# WeasyPrint renders the council reports with Pango and needs fonts;
# gettext compiles the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 suunta \
    && useradd --system --uid 10001 --gid suunta --home-dir /app --shell /usr/sbin/nologin suunta \
    && mkdir -p /data /app \
    && chown suunta:suunta /data

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them: exactly
# the runtime versions of the lock file, each checked against its hashes
# (`make lock` writes it from pyproject.toml).
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .

# Static files and translations are baked into the image. The settings need
# a secret to load; this one exists only during the build.
RUN if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
        DEBUG=False SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py compilemessages --ignore=.venv --verbosity 0; fi \
    && DEBUG=False SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput --verbosity 0 \
    && chmod +x bin/healthcheck

USER suunta
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 CMD ["python", "bin/healthcheck"]

# gunicorn's settings (threaded workers sized for the machine, the port from PORT)
# are in config/gunicorn.conf.py; WEB_CONCURRENCY, GUNICORN_THREADS and
# FORWARDED_ALLOW_IPS override them from the environment.
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
