# Production image for NICP (web, worker and beat share it).
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=nicp.settings.production \
    NICP_VAR_DIR=/var/lib/nicp
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir . && useradd --system --home /app nicp && mkdir -p /var/lib/nicp \
    && chown nicp /var/lib/nicp
COPY . .
USER nicp
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput -v0 && gunicorn nicp.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
