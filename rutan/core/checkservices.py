"""Say clearly when PostgreSQL or Redis cannot be reached, and how to start them."""

import sys

import environ
import psycopg
import redis


def main(database_url: str, redis_url: str) -> int:
    ok = True
    db = environ.Env.db_url_config(database_url)
    try:
        psycopg.connect(
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.Error as exc:
        ok = False
        print(
            f"PostgreSQL is not reachable at {db.get('HOST')}:{db.get('PORT')} ({exc}).\n"
            "  Start it with: pg_ctlcluster --skip-systemctl-redirect "
            "$(ls /etc/postgresql) main start\n  or set DATABASE_URL.",
            file=sys.stderr,
        )
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        ok = False
        print(
            f"Redis is not reachable at {redis_url} ({exc}).\n"
            "  Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 "
            '--save "" --appendonly no\n  or set REDIS_URL.',
            file=sys.stderr,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
