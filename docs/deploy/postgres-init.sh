#!/bin/sh
# First start of the db container (docker-entrypoint-initdb.d): the superuser made by the
# image creates two roles without superuser rights and the database.
#   rutan_owner  owns the database and the tables; only the `migrate` service connects as it.
#   rutan        the application (web, worker, beat); `manage.py grant_app_role rutan`
#                gives it DML on every table but no UPDATE, DELETE or TRUNCATE of the audit
#                table (only the redacted columns), and it cannot drop the audit trigger.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$RUTAN_DB_OWNER_PASSWORD" -v app_password="$RUTAN_DB_PASSWORD" <<'SQL'
CREATE ROLE rutan_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE rutan LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE rutan OWNER rutan_owner;
REVOKE ALL ON DATABASE rutan FROM PUBLIC;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname rutan <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO rutan_owner;
SQL
