# syntax=docker/dockerfile:1
# SMS image: the FastAPI backend serving the built React frontend.
# Build: docker build -t sms:latest .   (or DOCKER.ps1 -Start / scripts/docker.sh start)

# --- stage 1: frontend bundle ------------------------------------------------------------
FROM node:20-slim AS frontend
WORKDIR /build/frontend
# Manifests first so the dependency layer is reused until they change.
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- stage 2: runtime --------------------------------------------------------------------
FROM python:3.11-slim AS runtime

# Client tools must match the compose server's major version: pg_dump refuses newer servers,
# and Debian's own postgresql-client is 15 (bookworm) or 17 (trixie), so use the PGDG repo.
ARG PG_MAJOR=16

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PATH=/usr/lib/postgresql/${PG_MAJOR}/bin:$PATH \
    SQLITE_PATH=/app/data/student_management.db \
    BACKUP_DIR=/app/backups

# python (not curl, which slim lacks) fetches the PGDG signing key over HTTPS. The package is
# pinned by major version only: PGDG keeps just the latest minor, so an exact pin would rot.
# hadolint ignore=DL3008
RUN set -eux; \
    install -d /usr/share/postgresql-common/pgdg; \
    python -c "import urllib.request as u; u.urlretrieve('https://www.postgresql.org/media/keys/ACCC4CF8.asc', '/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc')"; \
    . /etc/os-release; \
    echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list; \
    apt-get update; \
    apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}"; \
    rm -rf /var/lib/apt/lists/*; \
    pg_dump --version | grep -q " ${PG_MAJOR}\."

RUN groupadd --system --gid 10001 sms \
    && useradd --system --uid 10001 --gid sms --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin sms

WORKDIR /app

COPY backend/requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt

# Code stays root-owned (read-only to the app); only data and backups belong to sms.
COPY backend/ /app/backend/
COPY --from=frontend /build/frontend/dist/ /app/frontend/dist/
COPY docker/entrypoint.sh /app/docker/entrypoint.sh
# Strip CR so a Windows checkout with CRLF line endings still yields a runnable script.
RUN sed -i 's/\r$//' /app/docker/entrypoint.sh \
    && chmod 0755 /app/docker/entrypoint.sh \
    && install -d -o sms -g sms -m 0750 /app/data /app/backups

# Numeric, so orchestrators can verify runAsNonRoot without reading /etc/passwd.
USER 10001:10001
VOLUME ["/app/data", "/app/backups"]
EXPOSE 8000

# /health/ready pings the database and checks the schema; urlopen raises (exit 1) on a 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:8000/health/ready', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
