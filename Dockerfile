# One image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=rutan.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv \
    && useradd --create-home --uid 1000 rutan
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY --chown=rutan:rutan . .
COPY --from=assets --chown=rutan:rutan /app/node_modules ./node_modules
# Build steps import the production settings; these values exist only during the build.
ARG BUILD_ENV="DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/b.db \
    REDIS_URL=redis://localhost:6379/0 FIELD_ENCRYPTION_KEY=MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA="
RUN env $BUILD_ENV python manage.py collectstatic --noinput -v0 \
    && env $BUILD_ENV python manage.py compilemessages -v0 --ignore=node_modules --ignore=.venv \
    && mkdir -p /app/media /app/backups && chown rutan:rutan /app/media /app/backups
USER rutan
EXPOSE 8000
# Process up (the worker and beat services override this in docker-compose.yml).
HEALTHCHECK --interval=15s --timeout=5s --retries=5 CMD curl -fsS http://localhost:8000/healthz || exit 1
CMD ["gunicorn", "-c", "python:rutan.gunicorn_conf", "rutan.wsgi:application"]
